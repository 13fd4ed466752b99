import { describe, expect, it } from 'vitest';
import { ImportError, readLayerChain } from '$main/services/model-import-topology';

const dense = (name: string, units: unknown, activation?: unknown, extra: object = {}) => ({ class_name: 'Dense', config: { name, units, activation, ...extra } });
const first = () => dense('a', 4, 'relu', { batch_input_shape: [null, 784] });
const output = () => dense('b', 10, 'softmax');
const sequential = (layers: unknown) => ({ modelTopology: { class_name: 'Sequential', config: { layers } } });
const read = (json: unknown) => readLayerChain('in/model.json', json);

describe('readLayerChain', () => {
  it('reads Dense layers with their activations, biases and dropout, from Keras 2 and 3 shapes', () => {
    const chain = read(
      sequential([
        { class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 28, 28, 1] } },
        { class_name: 'Flatten', config: { name: 'f' } },
        dense('a', 4, null),
        { class_name: 'Activation', config: { name: 'act', activation: 'tanh' } },
        { class_name: 'Dropout', config: { name: 'dr', rate: '0.25' } },
        dense('b', 10, 'softmax', { use_bias: false }),
      ]),
    );
    expect(chain).toEqual({
      inputs: 784,
      dense: [
        { name: 'a', units: 4, activation: 'tanh', useBias: true, dropout: 0.25 },
        { name: 'b', units: 10, activation: 'softmax', useBias: false, dropout: 0 },
      ],
    });
  });

  it('takes a Functional model whose layers form a chain, in Keras 3 node lists too', () => {
    const json = {
      modelTopology: {
        model_config: {
          class_name: 'Functional',
          config: {
            layers: [
              { class_name: 'InputLayer', name: 'in', config: { batch_shape: [null, 784], name: 'in' }, inbound_nodes: [] },
              { class_name: 'Dense', name: 'x', config: { name: 'x', units: 10, activation: 'softmax' }, inbound_nodes: [{ args: [{ config: { keras_history: ['in', 0, 0] } }] }] },
            ],
          },
        },
      },
    };
    expect(read(json).dense.map((d) => d.name)).toEqual(['x']);
  });

  it.each<[string, unknown, string]>([
    ['a topology that is not an object', { modelTopology: [] }, 'modelTopology is not an object'],
    ['an unknown model class', { modelTopology: { class_name: 'Conv', config: { layers: [first(), output()] } } }, 'modelTopology.class_name is "Conv", not Sequential or Functional'],
    ['no layer list', { modelTopology: { class_name: 'Sequential', config: null } }, 'modelTopology.config.layers is missing or empty'],
    ['65 layers', sequential(Array.from({ length: 65 }, (_, i) => dense(`d${i}`, 4))), 'modelTopology.config.layers has 65 layers, more than 64'],
    ['a layer that is not an object', sequential([first(), null, output()]), 'layer 2 is not an object with a config'],
    ['a layer whose config is a list', sequential([first(), { class_name: 'Dense', config: [] }, output()]), 'layer 2 is not an object with a config'],
    ['a layer class no MLP has', sequential([first(), { class_name: 'Conv2D', name: 'top', config: {} }, output()]), 'not an MLP that MLP Lab can run: layer top (Conv2D)'],
    ['a Dropout rate of 1', sequential([first(), { class_name: 'Dropout', config: { name: 'dr', rate: 1 } }, output()]), 'layer dr (Dropout) rate is 1, not in [0, 1)'],
    ['units that are a string', sequential([first(), dense('b', '10', 'softmax')]), 'layer b (Dense) units is "10", not a whole number from 1 to 100000'],
    ['an Activation layer with none', sequential([first(), { class_name: 'Activation', config: { name: 'act' } }, output()]), 'layer act (Activation) activation is undefined; MLP Lab runs'],
    ['a batch shape with no free batch size', sequential([dense('a', 4, 'relu', { batch_input_shape: [1, 784] }), output()]), 'layer a (Dense) batch_input_shape is [1,784], not [null, …sizes]'],
    ['a negative size', sequential([dense('a', 4, 'relu', { batch_shape: [null, -784] }), output()]), 'layer a (Dense) batch_shape has sizes [-784], not positive whole numbers'],
    ['a second input shape', sequential([first(), dense('b', 10, 'softmax', { batch_input_shape: [null, 784] })]), 'layer b (Dense) declares an input shape after the model input'],
    ['an image with no Flatten', sequential([dense('a', 4, 'relu', { batch_input_shape: [null, 28, 28] }), output()]), 'the input is 28×28 with no Flatten layer before the first Dense'],
    ['no Dense layer', sequential([{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 784] } }]), 'modelTopology has no Dense layer'],
  ])('refuses %s, naming the field', (_, json, message) => {
    expect(() => read(json)).toThrow(ImportError);
    expect(() => read(json)).toThrow(`in/model.json: ${message}`);
  });
});
