import type { ModelSpec } from '../../shared/model-spec';
import type { RunBackend, TrainingCandidate } from '../ml/backend-choice';
import type { ModelShape } from '../ml/model';
import { tfjsStepper, type StepperFactory } from '../ml/stepper';
import { kernelInstance } from './kernel-module';
import { measureKernel } from './kernel-measure';
import { kernelStepper, kernelUnsupported } from './kernel-stepper';

/**
 * What MLP_LAB_BACKEND says about the kernel: `kernel` forces it (a spec it cannot train then falls
 * back to the tfjs step, with the reason in the run's stepper kind); any other value (tensorflow, wasm,
 * cpu) rules it out; unset leaves it to the measured choice.
 */
export function kernelWish(requested: string | undefined = process.env.MLP_LAB_BACKEND): 'forced' | 'excluded' | 'candidate' {
  if (!requested) return 'candidate';
  return requested === 'kernel' ? 'forced' : 'excluded';
}

/** The measured choice's verdict (the kernel candidate activated, or another one); null before any. */
let chosen: boolean | null = null;

/** Records the choice of backend: true when the kernel candidate won, false when another did. */
export function preferKernel(kernel: boolean): void {
  chosen = kernel;
}

/**
 * The stepper of the next run: the kernel where it is forced, or is a candidate the measured choice
 * did not turn down (until a choice is wired into the caller, it is tried first: it falls back by
 * itself); the tfjs step where it is ruled out or lost.
 */
export function runStepper(requested: string | undefined = process.env.MLP_LAB_BACKEND): StepperFactory {
  const wish = kernelWish(requested);
  if (wish === 'excluded' || (wish === 'candidate' && chosen === false)) return tfjsStepper;
  return kernelStepper;
}

/** The kernel as a candidate of chooseTrainingBackend (src/engine/ml/backend-choice.ts). */
export function kernelCandidate(): TrainingCandidate {
  const kernel = kernelInstance();
  const variant = typeof kernel === 'string' ? 'unavailable' : kernel.variant;
  return {
    name: 'kernel',
    label: `kernel (${variant})`,
    unsupported: (spec: ModelSpec) => kernelUnsupported(spec),
    measure: (spec: ModelSpec, shape: ModelShape, budgetMs: number) => measureKernel(spec, shape, budgetMs),
    activate: async () => preferKernel(true),
    // train() steps through the kernel, which keeps the weights in its memory between epoch ends.
    stepper: kernelStepper,
  };
}

/** The candidates beside TensorFlow.js' backends for a run's choice: the kernel, unless MLP_LAB_BACKEND rules it out. */
export function kernelCandidates(requested: string | undefined = process.env.MLP_LAB_BACKEND): TrainingCandidate[] {
  return kernelWish(requested) === 'excluded' ? [] : [kernelCandidate()];
}

/**
 * What train() steps with: the measured choice's (the kernel's own stepper, or TensorFlow.js on the
 * backend it activated); without a choice (an engine made with no chooseBackend), what MLP_LAB_BACKEND
 * says of the kernel.
 */
export function stepperOf(choice: RunBackend | null): StepperFactory {
  if (!choice) return runStepper();
  return choice.stepper ?? tfjsStepper;
}
