import { classificationReport, confusionMatrix } from './classification-report';
import type { RobustnessResult } from './robustness';
import { argMax } from './vector';

/** One of two compared models, scored on its dataset's whole test split. */
export interface ComparedModel {
  id: string;
  name: string;
  datasetId: string;
  classNames: string[];
  /** Test images scored. */
  count: number;
  accuracy: number;
  /** Per class, in classNames order: the share of its test images the model gets right. */
  recall: number[];
}

/** Two library models side by side (the Models tab's Compare). */
export interface ModelComparison {
  a: ComparedModel;
  b: ComparedModel;
  /** The robustness check of both on the same test images: a's result first. */
  robustness: [RobustnessResult, RobustnessResult];
}

/** Accuracy and per-class recall from a model's [count × classes] probabilities and the true labels. */
export function scoreOf(probabilities: Float32Array, labels: Uint8Array, classes: number): { accuracy: number; recall: number[] } {
  const predicted = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) predicted[i] = argMax(probabilities, i * classes, classes);
  const report = classificationReport(confusionMatrix(labels, predicted, classes));
  return { accuracy: report.accuracy, recall: report.perClass.map((c) => c.recall) };
}
