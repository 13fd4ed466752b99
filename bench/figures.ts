/** What the bench's children print, one JSON line each (children.ts reads them, report.ts lays them out). */
import type { BackendName } from '../src/engine/ml/backend';

export interface TrainFigure {
  batchSize: number;
  /** Training images per epoch. */
  images: number;
  epochs: number;
  samples: number;
  /** Wall clock of the train() call, its setup (normalising the set once) included. */
  seconds: number;
  samplesPerSecond: number;
  /** Samples over the process's CPU time (user + system, every thread): on a loaded machine, what wall time hides. */
  samplesPerCpuSecond?: number;
  /** What train() itself reports: samples over the epochs' loop time, setup excluded. */
  inLoopSamplesPerSecond: number;
  /** Last epoch's training loss and accuracy, as a sanity check. */
  loss: number;
  accuracy: number;
}

export interface KernelFigure {
  name: string;
  /** Calls per step. */
  calls: number;
  /** Summed kernel time per step, ms. */
  ms: number;
}

export interface StepFigure {
  batchSize: number;
  /** Mean wall time of one unprofiled TrainStep.run, ms (same input tensor, no batch upload). */
  wallMs: number;
  /** Mean wall time of one batch of train()'s own loop, ms: fill, upload, step, read-back, yields. */
  loopMs?: number;
  /** Mean time of the filler alone for one batch (rows and their transpose from the bytes), ms. */
  fillMs?: number;
  /** Mean time to upload one batch (x and xT) as tensors, ms. */
  uploadMs?: number;
  /** Mean wall time of one profiled TrainStep.run, ms (profiling adds its own overhead). */
  profiledWallMs: number;
  /** Summed kernel time of one step, ms (mean over the profiled steps). */
  kernelMs: number;
  /** Kernel launches per step. */
  launches: number;
  /** Per kernel name, largest first. */
  kernels: KernelFigure[];
  /** Profile entries that are op wrappers around other kernels (their time is counted in those). */
  wrappers: string[];
  profiledSteps: number;
}

/** backend-child.ts, when its backend could be had. */
export interface BenchFigures {
  backend: BackendName;
  label: string;
  simd?: boolean;
  /** wasm: the threads its kernels ran on, and why one when more were asked for. */
  threads?: number;
  threadsFallback?: string;
  /** The child process's peak resident set (pthread workers included), MB. */
  peakRssMb: number;
  preset: string;
  fast: { b200: TrainFigure; b32: TrainFigure };
  fit: { batchSize: number; images: number; seconds: number; samplesPerSecond: number };
  /** Fast loop at batch 200 over model.fit at batch 200. */
  speedUpVsFit: number;
  inference: { calls: number; medianMs: number; p95Ms: number };
  steps: StepFigure[];
}

/** backend-child.ts, when its backend cannot be had here. */
export interface BenchUnavailable {
  backend: string;
  unavailable: string;
}

/** reference.py (the fields the report uses). */
export interface ReferenceRun {
  sklearn: { version: string; dtype: string; epochs: number; seconds: number; samplesPerSecond: number; samplesPerCpuSecond?: number };
  torch:
    | { unavailable: string }
    | {
        version: string;
        threads: number;
        b200: { epochs: number; samplesPerSecond: number };
        b32: { epochs: number; samplesPerSecond: number };
        loader32: { epochs: number; samplesPerSecond: number };
        loader32OneThread?: { epochs: number; threads: number; samplesPerSecond: number; samplesPerCpuSecond?: number };
        big256TwoThreads?: { epochs: number; threads: number; samplesPerSecond: number; samplesPerCpuSecond?: number };
      };
}

/** kernel-child.ts: the training kernel through train(), and its products' speed. */
export interface KernelFigures {
  /** "relaxed-simd" or "simd128", and its thread count. */
  detail: string;
  /** sklearn-exercise at batch 200 and 32, 2 rounds × 1 epoch × 60,000 images each (one thread). */
  b200: TrainFigure;
  b32: TrainFigure;
  /** 784-512-256-10 relu, Adam, batch 256, 2 rounds × 30,000 images (one thread). */
  big256: TrainFigure;
  /** The first layer's forward product alone (784×50, batch 200), and the whole step's multiply-adds over its time. */
  productGmacs: number;
  stepGmacs: { b200: number; big256: number };
  /** The same on the threaded runs (all threads together). */
  threadedStepGmacs: { b200: number; big256: number };
  /** Register-only multiply-adds a second with 128-bit wasm SIMD, one thread: the kernel's ceiling here. */
  peakGmacs: number;
  /** The tfjs step (wasm backend, 1 thread) on the big net, for comparison. */
  tfjsBig256: TrainFigure | null;
  /** The same three trainings on `threads` threads (MLP_LAB_KERNEL_THREADS), alternating with the one-thread rounds. */
  threads: number;
  threaded: { b200: TrainFigure; b32: TrainFigure; big256: TrainFigure };
  /** What the app's own plan (MLP_LAB_KERNEL_THREADS unset) picks for each, as the stepper reports it. */
  plan: { b200: string; b32: string; big256: string };
}
