/**
 * Which verb of window.api calls which channel. Kept apart from the contract's schemas so the sandboxed
 * preload bundles these two tables and nothing else. They import nothing: contract.ts's `Api` type only
 * accepts verbs that name a request channel and subscriptions that name an event channel.
 */
export const verbs = {
  getAppInfo: 'app:get-info',
  getActiveModel: 'model:get-active',
  listDatasets: 'dataset:list',
  getSamples: 'dataset:get-samples',
  downloadDataset: 'dataset:download',
  cancelDownload: 'dataset:cancel-download',
  getDatasetLabels: 'dataset:get-labels',
  previewImport: 'dataset:import-preview',
  saveImport: 'dataset:import-save',
  listImported: 'dataset:list-imported',
  deleteImported: 'dataset:delete-imported',
  getTrainingStatus: 'training:get-status',
  startTraining: 'training:start',
  continueTraining: 'training:continue',
  stopTraining: 'training:stop',
  resetTraining: 'training:reset',
  saveModel: 'model:save',
  listModels: 'model:list',
  loadModel: 'model:load',
  renameModel: 'model:rename',
  duplicateModel: 'model:duplicate',
  deleteModel: 'model:delete',
  exportModel: 'model:export',
  importModel: 'model:import',
  evaluateModel: 'evaluation:evaluate',
  checkRobustness: 'evaluation:robustness',
  cancelEvaluation: 'evaluation:cancel',
  listHandwriting: 'handwriting:list',
  saveHandwriting: 'handwriting:save',
  relabelHandwriting: 'handwriting:relabel',
  deleteHandwriting: 'handwriting:delete',
  exportHandwriting: 'handwriting:export',
  importHandwriting: 'handwriting:import',
  rebuildHandwriting: 'handwriting:rebuild',
  evaluateHandwriting: 'handwriting:evaluate',
  finetuneHandwriting: 'handwriting:finetune',
  keepFinetuned: 'handwriting:keep',
  discardFinetuned: 'handwriting:discard',
} as const;

/** The subscriptions window.api offers, each bound to one event channel. */
export const subscriptions = {
  onModelChanged: 'model:changed',
  onTrainingStatus: 'training:status',
  onTrainingProgress: 'training:progress',
  onTrainingEpoch: 'training:epoch',
  onTrainingWeights: 'training:weights',
  onTrainingFinished: 'training:finished',
  onTrainingError: 'training:error',
  onEvaluationProgress: 'evaluation:progress',
  onDownloadProgress: 'dataset:download-progress',
  onDatasetsChanged: 'dataset:list-changed',
} as const;
