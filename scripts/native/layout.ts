import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The libtensorflow layout tfjs-node's install script expects in its deps/ folder, made from a
 * TensorFlow CPU wheel. The wheel's libtensorflow_cc.so.2 exports the whole C API (TF_*, TFE_*) that
 * the binding calls, so the names tfjs-node links and loads (libtensorflow.so, .so.2, .so.2.9.1) all
 * point at it; libtensorflow_framework.so.2 sits beside it. Of the wheel's 268 MB of headers, only the
 * C API's and what they include are needed to compile the binding.
 */
export const LIBRARIES = { 'tensorflow/libtensorflow_cc.so.2': 'lib/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2': 'lib/libtensorflow_framework.so.2' };
export const HEADER_PREFIXES = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/', 'xla/tsl/c/'].map((p) => `tensorflow/include/${p}`);
export const SYMLINKS: Record<string, string> = {
  'lib/libtensorflow.so': 'libtensorflow_cc.so.2',
  'lib/libtensorflow.so.2': 'libtensorflow_cc.so.2',
  'lib/libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
  'lib/libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  'lib/libtensorflow_framework.so.2.9.1': 'libtensorflow_framework.so.2',
};
/** What tfjs-node's install script looks for before it would download libtensorflow. */
export const MARKER = 'lib/libtensorflow.so.2.9.1';
const STAMP = '.mlp-lab-wheel.json';
/** No wheel member of these is near this; a zip bomb is. */
const MAX_TOTAL_BYTES = 4 * 1024 ** 3;

/**
 * Python's zipfile reads the wheel's central directory and streams each wanted member out. Members are
 * taken only by exact name or allowed prefix, must be regular files with a relative path free of "..",
 * and must land inside the destination; their sizes are bounded.
 */
const EXTRACT_PY = `
import json, os, shutil, stat, sys, zipfile
plan = json.load(sys.stdin)
dest = os.path.realpath(plan["dest"])
total = 0
found = set()
with zipfile.ZipFile(plan["wheel"]) as z:
    for info in z.infolist():
        name = info.filename
        if name.endswith("/"):
            continue
        if name in plan["files"]:
            rel = plan["files"][name]
        else:
            prefix = next((p for p in plan["prefixes"] if name.startswith(p)), None)
            if prefix is None:
                continue
            rel = "include/" + name[len("tensorflow/include/"):]
        parts = name.split("/")
        mode = info.external_attr >> 16
        if name.startswith("/") or ".." in parts or "\\\\" in name or (mode and not stat.S_ISREG(mode)):
            sys.exit("refused member %r: not a plain relative file" % name[:200])
        out = os.path.realpath(os.path.join(dest, rel))
        if not out.startswith(dest + os.sep):
            sys.exit("refused member %r: it would land outside the folder" % name[:200])
        total += info.file_size
        if total > plan["maxBytes"]:
            sys.exit("refused: the members wanted add up to more than %d bytes" % plan["maxBytes"])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        found.add(name)
missing = [n for n in plan["files"] if n not in found]
if missing:
    sys.exit("the wheel has no " + ", ".join(missing) + ": is it a TensorFlow CPU wheel for Linux?")
if not any(n.startswith(plan["prefixes"][0]) for n in found):
    sys.exit("the wheel has no C API headers (" + plan["prefixes"][0] + ")")
`;

export interface WheelIdentity {
  name: string;
  size: number;
  mtimeMs: number;
}

export async function wheelIdentity(wheel: string): Promise<WheelIdentity> {
  const info = await stat(wheel);
  if (!info.isFile()) throw new Error(`${wheel} is not a regular file`);
  return { name: path.basename(wheel), size: info.size, mtimeMs: Math.round(info.mtimeMs) };
}

/** True when depsDir was laid out from this very wheel and its marker library is still there. */
export async function isLaidOut(depsDir: string, wheel: WheelIdentity): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(path.join(depsDir, STAMP), 'utf8')) as unknown;
    const same = JSON.stringify(stamp) === JSON.stringify(wheel);
    return same && (await stat(path.join(depsDir, MARKER))).isFile();
  } catch {
    return false;
  }
}

/**
 * Lays the wheel's libraries and headers out in depsDir, replacing what was there only once the new
 * layout is whole (it is built beside it, then renamed into place). `python` runs the extraction.
 */
export async function layOut(wheel: string, depsDir: string, python = 'python3'): Promise<void> {
  const identity = await wheelIdentity(wheel);
  const partial = `${depsDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    const plan = { wheel, dest: partial, files: LIBRARIES, prefixes: HEADER_PREFIXES, maxBytes: MAX_TOTAL_BYTES };
    const result = spawnSync(python, ['-c', EXTRACT_PY], { input: JSON.stringify(plan), encoding: 'utf8', maxBuffer: 1024 * 1024 });
    if (result.error) throw new Error(`cannot run ${python}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`${path.basename(wheel)}: ${(result.stderr || `${python} exited with ${result.status}`).trim().split('\n').at(-1)}`);
    for (const [link, target] of Object.entries(SYMLINKS)) await symlink(target, path.join(partial, link));
    await writeFile(path.join(partial, STAMP), JSON.stringify(identity));
    await rm(depsDir, { recursive: true, force: true });
    await rename(partial, depsDir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}
