import { readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '$main/services/run-store';
import { DEFAULT_SPEC } from '$shared/model-spec';
import { RUN_FORMAT, type RunRecord } from '$shared/runs/run-record';
import { tempDirs } from '$tests/helpers/temp-dirs';

const newDir = tempDirs('mlp-lab-run-store-');

const record = (id: string, startedAt: string): RunRecord => ({
  format: RUN_FORMAT,
  version: 1,
  id,
  kind: 'train',
  sessionId: id,
  continuedFrom: null,
  spec: DEFAULT_SPEC,
  datasetId: 'mnist',
  backend: 'cpu',
  appVersion: '9.9.9',
  startedAt,
  finishedAt: null,
  durationSeconds: 1,
  epochsPlanned: 1,
  outcome: 'completed',
  error: null,
  history: [],
  final: null,
  savedModel: null,
});

describe('RunStore.list past its file limit', () => {
  it('keeps the newest files by modification time, not by name, and says how many it left out', async () => {
    const dir = await newDir();
    const store = new RunStore(dir, 3);
    // Ids are random: name order says nothing of age. Here the newest have the first names.
    const ids = ['f-oldest', 'e-old', 'd-older-than-c', 'c-newer', 'b-newest-but-one', 'a-newest'];
    for (const [i, id] of ids.entries()) {
      await store.write(record(id, `2026-01-0${i + 1}T00:00:00.000Z`));
      const when = new Date(Date.UTC(2026, 0, i + 1));
      await utimes(store.fileOf(id), when, when);
    }
    const { runs, skipped } = await store.list();
    expect(runs.map((r) => r.id)).toEqual(['a-newest', 'b-newest-but-one', 'c-newer']);
    expect(skipped).toEqual([{ file: dir, reason: '3 older files were not read: only the newest 3 are listed' }]);
    // Nothing is deleted: the files left out are still there for a later, larger listing.
    expect((await readdir(dir)).length).toBe(6);
    expect((await new RunStore(dir).list()).runs.length).toBe(6);
  });
});

describe('RunStore.list reasons', () => {
  it('never quotes a refused file: a link to /etc/passwd and a file of secrets are named, their contents not', async () => {
    const dir = await newDir();
    const store = new RunStore(dir);
    await store.write(record('good', '2026-01-01T00:00:00.000Z'));
    await writeFile(path.join(dir, 'secret.json'), 'SECRET-TOKEN-1234 not json at all');
    await writeFile(path.join(dir, 'half.json'), '{"format": "mlp-lab-run", "id": "SECRET-HALF');
    await writeFile(path.join(dir, 'junk.json'), '{"a": 1} SECRET-AFTER');
    await symlink('/etc/passwd', path.join(dir, 'passwd.json'));
    const { runs, skipped } = await store.list();
    expect(runs.map((r) => r.id)).toEqual(['good']);
    const reasons = Object.fromEntries(skipped.map((s) => [path.basename(s.file), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['half.json', 'junk.json', 'passwd.json', 'secret.json']);
    for (const reason of Object.values(reasons)) {
      expect(reason).toMatch(/not valid JSON \((it is cut short|an unexpected character|a syntax error.*)\)/);
      expect(reason).not.toMatch(/SECRET|root|:x:|"/);
    }
  });
});
