/**
 * Short, plain definitions of the words MLP Lab puts on screen, for the "?" beside each setting and the
 * glossary links of lessons (`[epochs](glossary:epoch)`). Written for a learner meeting them first.
 */
export const GLOSSARY = {
  epoch: { term: 'Epoch', text: 'One pass over every training image. Training for 10 epochs shows the network each image ten times.' },
  batch: {
    term: 'Batch',
    text: 'The handful of images the network looks at before it changes its weights once. Small batches mean many small, noisy steps; large ones mean fewer, steadier steps.',
  },
  'learning-rate': {
    term: 'Learning rate',
    text: 'How far each step moves the weights. Too small and learning crawls; too large and the loss jumps about or explodes.',
  },
  momentum: {
    term: 'Momentum',
    text: 'Lets each step keep part of the previous one, like a ball rolling downhill, so training speeds up along steady directions and wobbles less.',
  },
  dropout: {
    term: 'Dropout',
    text: 'While training, a share of a layer’s outputs is switched off at random for each batch, so no unit can rely on one other. It usually narrows the gap between training and test accuracy.',
  },
  l2: {
    term: 'L2 penalty',
    text: 'Adds the sum of the squared weights to the loss, so large weights cost something. It nudges the network towards simpler answers (also called weight decay; scikit-learn calls it alpha).',
  },
  activation: {
    term: 'Activation',
    text: 'The bend applied to each unit’s sum before it is passed on (relu, tanh, sigmoid…). Without it, stacked layers would be no more than one straight-line model.',
  },
  softmax: {
    term: 'Softmax',
    text: 'Turns the last layer’s ten scores into ten shares that add up to 100 %: the confidence bars.',
  },
  loss: {
    term: 'Loss',
    text: 'One number saying how wrong the network is on the images it just saw (here cross-entropy: it grows fast when the network is confidently wrong). Training pushes it down.',
  },
  overfitting: {
    term: 'Overfitting',
    text: 'The network learns its training images, quirks and all, instead of what digits look like: training accuracy keeps climbing while validation accuracy stalls or falls.',
  },
  validation: {
    term: 'Validation',
    text: 'Images held back from training and scored after each epoch, to see how the network does on images it has not learnt from.',
  },
  precision: { term: 'Precision', text: 'Of the images the network called a class, the share that really were that class.' },
  recall: { term: 'Recall', text: 'Of the images that really were a class, the share the network found.' },
  f1: { term: 'F1', text: 'One figure balancing precision and recall (their harmonic mean): high only when both are.' },
  'confusion-matrix': {
    term: 'Confusion matrix',
    text: 'A table with one row per true class and one column per answer: the diagonal holds the right answers, every other cell a kind of mistake.',
  },
  pca: {
    term: 'PCA',
    text: 'Principal component analysis: finds the few directions along which a cloud of points spreads most, so many numbers per image can be drawn as a 2-D map.',
  },
  optimizer: {
    term: 'Optimizer',
    text: 'The rule that turns the loss’s slopes into weight changes: plain SGD, or Adam and RMSprop, which adapt the step size of each weight.',
  },
  'hidden-layer': { term: 'Hidden layer', text: 'A layer of units between the input pixels and the ten outputs; its units are what the network learns to look for.' },
  'test-accuracy': { term: 'Test accuracy', text: 'The share of the test images, never used in training, that the network labels correctly.' },
  normalisation: { term: 'Normalisation', text: 'Scaling the pixel values before the network sees them (here to 0–1, or each image to unit length), so training starts from sensible numbers.' },
} as const satisfies Record<string, { term: string; text: string }>;

export type GlossaryId = keyof typeof GLOSSARY;

export const GLOSSARY_IDS = Object.keys(GLOSSARY) as GlossaryId[];

export function isGlossaryId(id: string): id is GlossaryId {
  return Object.hasOwn(GLOSSARY, id);
}
