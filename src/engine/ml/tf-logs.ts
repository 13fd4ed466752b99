/**
 * TensorFlow's C library writes start-up lines to stderr from the moment it loads (absl's "All log
 * messages before absl::InitializeLog()…", oneDNN's notice, CPU feature hints): 3–4 lines in every
 * process that trains, which read like errors. It reads its settings from the process's real
 * environment when the library loads, so these must be set before tfjs-node is first required, in the
 * process's main thread: a worker thread's process.env is its own copy, which the library never sees.
 * MLP_LAB_TF_LOGS=1 leaves them as they are; a value the user set is never replaced.
 */
export function quietTensorFlowLogs(env: NodeJS.ProcessEnv = process.env): void {
  if (env.MLP_LAB_TF_LOGS === '1') return;
  // 2: warnings and errors are hidden too, as TensorFlow's own Python users set it; errors still reach
  // the caller as exceptions.
  env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // The oneDNN notice ignores the log level: only turning oneDNN's custom ops off silences it. Its
  // effect on these small dense layers could not be told from noise on a loaded 2-core machine;
  // TF_ENABLE_ONEDNN_OPTS=1 (kept, as any value the user sets) turns them back on.
  env.TF_ENABLE_ONEDNN_OPTS ??= '0';
}
