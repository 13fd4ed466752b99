import { SHORTCUTS } from '$shared/shortcuts';

/** An accelerator as the user reads it on this platform: ⌘ on macOS, Ctrl elsewhere. */
export function shownAccelerator(accelerator: string, platform: NodeJS.Platform): string {
  return accelerator.replace('CmdOrCtrl', platform === 'darwin' ? '⌘' : 'Ctrl');
}

/** Help → Keyboard Shortcuts: the shared list, the ten Alt+digit saves on one line. */
export function shortcutsText(platform: NodeJS.Platform): string {
  const lines: string[] = [];
  for (const s of SHORTCUTS) {
    if (s.id.startsWith('draw:save-as-')) {
      if (s.id === 'draw:save-as-0') lines.push('Alt+0 … Alt+9\tDraw: save the drawing as that digit');
      continue;
    }
    lines.push(`${shownAccelerator(s.accelerator, platform)}\t${s.description}`);
  }
  return lines.join('\n');
}
