import { acquireKernel, releaseKernel, type KernelInstance, type ThreadedExports } from '../src/engine/kernel/kernel-module';
import { startKernelTeam } from '../src/engine/kernel/kernel-threads';
async function main() {
  const k = acquireKernel(true) as KernelInstance;
  const e = k.exports as ThreadedExports;
  const view = () => new Int32Array(e.memory.buffer);
  for (let round = 0; round < 3; round++) {
    const team = startKernelTeam(k, 2, true);
    await team.ready;
    console.log('round', round, 'ready');
    await team.stop();
    console.log('round', round, 'stopped');
  }
  releaseKernel(k);
}
main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
