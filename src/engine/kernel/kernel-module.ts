import { RELAXED_WASM, SIMD_WASM } from './kernel-wasm';

/** The C functions of src/engine/kernel/c, as the module exports them (addresses are byte offsets). */
export interface KernelExports {
  memory: { buffer: ArrayBuffer };
  kn_config(): number;
  kn_hyper(): number;
  kn_init(): number;
  kn_data(count: number, rows: number, cols: number, unitLength: number): number;
  kn_ptr(what: number, layer: number): number;
  kn_step(start: number, count: number, mode: number, l2: number): number;
  kn_correct(): number;
  /** Bench only: reps first-layer forward products on the input buffer. */
  kn_bench_forward(count: number, reps: number): void;
  /** Bench only: iterations × 48 multiply-adds on registers. */
  kn_bench_peak(iterations: number, scale: number): number;
}

/** Which build runs: relaxed SIMD (fused multiply-add in the products) where the runtime validates it. */
export type KernelVariant = 'relaxed-simd' | 'simd128';

export interface KernelInstance {
  exports: KernelExports;
  variant: KernelVariant;
}

/** The part of the WebAssembly API used here (the engine's TypeScript libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let instance: KernelInstance | string | undefined;
let inUse = false;

function bytesOf(base64: string): Uint8Array {
  return Uint8Array.from(Buffer.from(base64, 'base64'));
}

/**
 * The one kernel instance of this process (or worker), made on first use; or why there is none. One
 * instance is reused by every run: its memory is laid out afresh by each run, so 20 runs in a row take
 * no more memory than the largest of them. The build is chosen by asking the runtime whether it
 * validates each module, never by its version: Node 20 validates relaxed SIMD only behind a flag.
 */
export function kernelInstance(): KernelInstance | string {
  if (instance !== undefined) return instance;
  const relaxed = bytesOf(RELAXED_WASM);
  const simd = bytesOf(SIMD_WASM);
  const [bytes, variant]: [Uint8Array, KernelVariant] | [null, null] = wasmApi.validate(relaxed)
    ? [relaxed, 'relaxed-simd']
    : wasmApi.validate(simd)
      ? [simd, 'simd128']
      : [null, null];
  if (!bytes) {
    instance = 'this runtime does not validate WebAssembly SIMD128';
    return instance;
  }
  try {
    const exports = new wasmApi.Instance(new wasmApi.Module(bytes), {}).exports as unknown as KernelExports;
    instance = { exports, variant };
  } catch (error) {
    instance = `the kernel module did not instantiate: ${error instanceof Error ? error.message : String(error)}`;
  }
  return instance;
}

/**
 * Takes the instance for one training run; null (with the reason) when it is not available or another
 * run of this process holds it. Give it back with releaseKernel.
 */
export function acquireKernel(): KernelInstance | string {
  const kernel = kernelInstance();
  if (typeof kernel === 'string') return kernel;
  if (inUse) return 'another training run of this process is using the kernel';
  inUse = true;
  return kernel;
}

export function releaseKernel(): void {
  inUse = false;
}
