import { describeBackend, type BackendDetail, type TrainingBackendName } from '$shared/backend';

export interface DiagnosticsInput {
  version: string;
  /** process.versions: electron, chrome, node, v8. */
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>;
  platform: string;
  arch: string;
  osRelease: string;
  backend: TrainingBackendName | null;
  backendDetail: BackendDetail | null | undefined;
  /** Threads wasm is asked for (MLP_LAB_WASM_THREADS or the physical cores). */
  requestedThreads: number;
  packaged: boolean;
  logTail: string;
}

/** Folders whose names say who the user is; each occurrence becomes its placeholder. */
export interface PersonalPaths {
  home: string;
  userData: string;
  appPath: string;
  temp: string;
  userName: string;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces personal paths with placeholders, longest first (userData lies inside home), both slash
 * styles, and the user name wherever it is left (a path the table does not know, a message).
 */
export function scrubPersonalPaths(text: string, paths: PersonalPaths): string {
  const table: [string, string][] = [
    [paths.userData, '<userData>'],
    [paths.appPath, '<app>'],
    [paths.temp, '<temp>'],
    [paths.home, '~'],
  ];
  let out = text;
  for (const [value, placeholder] of table.filter(([v]) => v.length > 1).sort((a, b) => b[0].length - a[0].length)) {
    for (const form of new Set([value, value.replace(/\\/g, '/'), value.replace(/\//g, '\\')])) {
      out = out.replace(new RegExp(escape(form), 'gi'), placeholder);
    }
  }
  if (paths.userName.length >= 2) out = out.replace(new RegExp(`\\b${escape(paths.userName)}\\b`, 'gi'), '<user>');
  return out;
}

/** The About box's "Copy diagnostics": what a bug report needs, and no personal path. */
export function diagnosticsText(input: DiagnosticsInput, paths: PersonalPaths): string {
  const backend = input.backendDetail ? describeBackend(input.backendDetail) : (input.backend ?? 'the training worker has not started yet');
  const lines = [
    `MLP Lab ${input.version}${input.packaged ? '' : ' (development)'}`,
    `Electron ${input.versions.electron ?? '?'}, Chromium ${input.versions.chrome ?? '?'}, Node ${input.versions.node ?? '?'}, V8 ${input.versions.v8 ?? '?'}`,
    `OS: ${input.platform} ${input.osRelease} ${input.arch}`,
    `Training backend: ${backend}`,
    `wasm threads requested: ${input.requestedThreads}`,
    '',
    'Error log (last lines):',
    input.logTail || '(empty)',
  ];
  return scrubPersonalPaths(lines.join('\n'), paths);
}
