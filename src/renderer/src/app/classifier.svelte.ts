// The pure-JS cpu backend only: the window's Content-Security-Policy forbids WebAssembly, and the
// '@tensorflow/tfjs' union would also bundle WebGL and other backends the window never uses.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { Api } from '$shared/ipc/contract';
import type { ModelPayload } from '$shared/models';
import type { ModelMetadata } from '$shared/model-metadata';
import type { Normalization } from '$shared/model-spec';
import { INPUT_PIXELS, INPUT_SIDE } from '../lib/input-size';
import { Latest, type Ticket } from '../lib/latest';
import type { DenseLayerWeights } from '../lib/network';

/** The part of window.api the classifier needs, so tests can hand it a fake. */
export type ModelSource = Pick<Api, 'getActiveModel' | 'onModelChanged'>;

let backendReady: Promise<void> | null = null;

/** Selects TensorFlow.js's cpu backend once; setBackend resolves false rather than throwing on failure. */
export function ensureCpuBackend(): Promise<void> {
  backendReady ??= tf.setBackend('cpu').then((ok) => {
    if (!ok) {
      backendReady = null;
      throw new Error('TensorFlow.js could not start its cpu backend');
    }
  });
  return backendReady;
}

/** The active model, loaded into TensorFlow.js for drawing inference. */
export class Classifier {
  status = $state<'idle' | 'loading' | 'ready' | 'error'>('idle');
  error = $state<string | null>(null);
  modelId = $state<string | null>(null);
  metadata = $state.raw<ModelMetadata | null>(null);
  // Raw: a LayersModel must not be proxied, and replacing it is what makes predictions re-derive.
  #model = $state.raw<LayersModel | null>(null);
  /** A load that finishes after a newer one started is thrown away. */
  readonly #loads = new Latest();
  #unsubscribe: (() => void) | null = null;

  readonly ready = $derived(this.#model !== null);
  readonly classNames = $derived<readonly string[]>(this.metadata?.classNames ?? []);
  readonly normalization = $derived<Normalization>(this.metadata?.normalization ?? 'divide255');
  /**
   * The model's Dense layers as plain arrays, for the Weights panel and saliency maps. Derived, so the
   * copy (about 2 MB for the default model) is made only once something reads it, once per model.
   */
  readonly weights = $derived.by((): readonly DenseLayerWeights[] => (this.#model ? readDenseWeights(this.#model) : []));

  /** Loads the active model now and again whenever main says it changed. Returns a disconnect function. */
  connect(source: ModelSource): () => void {
    this.#unsubscribe?.();
    const reload = (): void => {
      void this.loadFrom(source);
    };
    this.#unsubscribe = source.onModelChanged(reload);
    reload();
    return () => {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
    };
  }

  /** Fetches and loads the active model; failures end up in `error`, not as a rejection. */
  async loadFrom(source: ModelSource): Promise<void> {
    const ticket = this.#loads.next();
    this.status = 'loading';
    try {
      const payload = await source.getActiveModel();
      if (ticket.current) await this.#load(payload, ticket);
    } catch (error) {
      this.#fail(error, ticket);
    }
  }

  /** Loads `payload`, replacing (and disposing) the current model once the new one is ready. */
  async load(payload: ModelPayload): Promise<void> {
    const ticket = this.#loads.next();
    this.status = 'loading';
    try {
      await this.#load(payload, ticket);
    } catch (error) {
      this.#fail(error, ticket);
      throw error;
    }
  }

  /** Class probabilities for one normalised 784-value input, in `classNames` order. */
  predict(input: Float32Array): Float32Array {
    const model = this.#model;
    if (!model) throw new Error('no model is loaded');
    return tf.tidy(() => {
      const output = model.predict(tf.tensor2d(input, [1, input.length])) as tf.Tensor;
      return output.dataSync() as Float32Array;
    });
  }

  dispose(): void {
    this.#loads.drop();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#model?.dispose();
    this.#model = null;
    this.status = 'idle';
  }

  async #load(payload: ModelPayload, ticket: Ticket): Promise<void> {
    await ensureCpuBackend();
    const model = await loadLayersModel(
      tf.io.fromMemory({
        modelTopology: payload.modelJson.modelTopology as object,
        weightSpecs: payload.modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
        weightData: toArrayBuffer(payload.weights),
      }),
    );
    const problem = checkShape(model, payload.metadata);
    if (problem || !ticket.current) {
      model.dispose();
      if (problem) throw new Error(`model "${payload.metadata.name}" cannot be used for drawing: ${problem}`);
      return;
    }
    this.#model?.dispose();
    this.#model = model;
    this.metadata = payload.metadata;
    this.modelId = payload.id;
    this.error = null;
    this.status = 'ready';
  }

  #fail(error: unknown, ticket: Ticket): void {
    if (!ticket.current) return;
    this.error = error instanceof Error ? error.message : String(error);
    // The previous model, if any, stays usable: a failed reload should not blank the predictions.
    this.status = this.#model ? 'ready' : 'error';
  }
}

/** Copies each Dense layer's kernel and bias out of the model (Dropout layers hold no weights). */
function readDenseWeights(model: LayersModel): DenseLayerWeights[] {
  return model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => {
      // getWeights hands out the variables' own tensors: read them, never dispose them.
      const [kernel, bias] = layer.getWeights();
      const [inputs, units] = kernel.shape;
      return {
        inputs,
        units,
        kernel: Float32Array.from(kernel.dataSync()),
        bias: bias ? Float32Array.from(bias.dataSync()) : new Float32Array(units),
        activation: String(layer.getConfig().activation ?? 'linear'),
      };
    });
}

/** Why the model cannot classify the drawing panel's 28×28 input into its class names, or null. */
function checkShape(model: LayersModel, metadata: ModelMetadata): string | null {
  const inputs = model.inputs[0]?.shape;
  const outputs = model.outputs[0]?.shape;
  const [rows, cols] = metadata.imageShape;
  if (rows !== INPUT_SIDE || cols !== INPUT_SIDE) return `it takes ${rows}×${cols} images, not ${INPUT_SIDE}×${INPUT_SIDE}`;
  if (inputs?.[1] !== INPUT_PIXELS) return `its input layer takes ${inputs?.[1]} values, but a ${INPUT_SIDE}×${INPUT_SIDE} drawing gives ${INPUT_PIXELS}`;
  if (outputs?.[1] !== metadata.classNames.length) {
    return `it has ${outputs?.[1]} outputs for ${metadata.classNames.length} class names`;
  }
  return null;
}

/** IPC bridges may hand the bytes over as a view (Node Buffer, Uint8Array) rather than an ArrayBuffer. */
function toArrayBuffer(weights: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (!ArrayBuffer.isView(weights)) return weights;
  return weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
}
