/** TensorFlow.js' own count of what a thread holds: a number that grows run after run is a leak. */
export interface TensorMemory {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
}

/** What app:diagnostics reports. The training worker's memory is null while no worker runs. */
export interface AppDiagnostics {
  trainingWorker: TensorMemory | null;
}
