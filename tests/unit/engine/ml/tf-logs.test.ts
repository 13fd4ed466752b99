import { describe, expect, it } from 'vitest';
import { quietTensorFlowLogs } from '$engine/ml/tf-logs';

describe('quietTensorFlowLogs', () => {
  it("sets TensorFlow's log level and oneDNN switch unless the user set them or asked for the logs", () => {
    const env: NodeJS.ProcessEnv = {};
    quietTensorFlowLogs(env);
    expect(env).toEqual({ TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' });
    const own: NodeJS.ProcessEnv = { TF_CPP_MIN_LOG_LEVEL: '0', TF_ENABLE_ONEDNN_OPTS: '1' };
    quietTensorFlowLogs(own);
    expect(own).toEqual({ TF_CPP_MIN_LOG_LEVEL: '0', TF_ENABLE_ONEDNN_OPTS: '1' });
    const asked: NodeJS.ProcessEnv = { MLP_LAB_TF_LOGS: '1' };
    quietTensorFlowLogs(asked);
    expect(asked).toEqual({ MLP_LAB_TF_LOGS: '1' });
  });
});
