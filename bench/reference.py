"""Reference figures for `npm run bench`: scikit-learn and PyTorch on the same MNIST, same net.

    /usr/bin/python3 bench/reference.py resources/datasets/mnist

Prints one JSON line on stdout. scikit-learn is required (the bench only runs this when it imports);
PyTorch is optional and reported as {"unavailable": reason} when missing. Figures, never assertions.
"""

import gzip
import json
import os
import platform
import struct
import sys
import time
import warnings

import numpy as np


def read_idx(path):
    """An IDX file (gzip) as a numpy uint8 array of its dimensions."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def bench_sklearn(X, y):
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(50,),
        solver="sgd",
        learning_rate_init=0.1,
        alpha=1e-4,
        batch_size=200,
        max_iter=3,
        random_state=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        started = time.perf_counter()
        cpu_started = time.process_time()
        clf.fit(X, y)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    epochs = int(clf.n_iter_)
    return {
        "version": sklearn.__version__,
        "dtype": str(X.dtype),
        "batchSize": 200,
        "epochs": epochs,
        "seconds": seconds,
        "samplesPerSecond": len(X) * epochs / seconds,
        "samplesPerCpuSecond": len(X) * epochs / cpu_seconds,
        "loss": float(clf.loss_),
    }


def bench_torch(X, y):
    try:
        import torch
        from torch import nn
    except Exception as error:  # noqa: BLE001 - any import failure means "not here"
        return {"unavailable": f"{type(error).__name__}: {error}"}

    torch.manual_seed(1)
    xs = torch.from_numpy(X.astype(np.float32))
    ys = torch.from_numpy(y.astype(np.int64))
    n = len(xs)

    def train_timed(model, optimizer, batch, epochs, warm_batches):
        # Steps on shuffled batches of xs, ys: `warm_batches` untimed, then `epochs` timed epochs.
        # Returns the wall and CPU seconds of the timed epochs and the last one's mean loss.
        loss_fn = nn.CrossEntropyLoss()

        def step(idx):
            optimizer.zero_grad()
            loss = loss_fn(model(xs[idx]), ys[idx])
            loss.backward()
            optimizer.step()
            return loss.item()

        warm = torch.randperm(n)[: warm_batches * batch]
        for i in range(0, len(warm), batch):
            step(warm[i : i + batch])
        started = time.perf_counter()
        cpu_started = time.process_time()
        total = 0.0
        for _ in range(epochs):
            order = torch.randperm(n)
            total = 0.0
            for i in range(0, n, batch):
                total += step(order[i : i + batch]) * min(batch, n - i)
        return time.perf_counter() - started, time.process_time() - cpu_started, total / n

    def run(batch, epochs):
        model = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
        # weight_decay 5e-7 is the gradient of the preset's Keras-style L2 2.5e-7 (loss += 2.5e-7 * sum w^2),
        # which is scikit-learn's alpha=1e-4 at batch 200.
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-7)
        seconds, _, loss = train_timed(model, optimizer, batch, epochs, warm_batches=20)
        return {
            "batchSize": batch,
            "epochs": epochs,
            "seconds": seconds,
            "samplesPerSecond": n * epochs / seconds,
            "loss": loss,
        }

    def run_loader(batch, epochs):
        # The loop the notebooks write: a DataLoader over a TensorDataset, one sample at a time in Python.
        from torch.utils.data import DataLoader, TensorDataset

        model = nn.Sequential(nn.Linear(784, 50), nn.ReLU(), nn.Linear(50, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-7)
        loss_fn = nn.CrossEntropyLoss()
        loader = DataLoader(TensorDataset(xs, ys), batch_size=batch, shuffle=True)
        started = time.perf_counter()
        cpu_started = time.process_time()
        for _ in range(epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                loss_fn(model(xb), yb).backward()
                optimizer.step()
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        return {"batchSize": batch, "epochs": epochs, "seconds": seconds, "samplesPerSecond": n * epochs / seconds, "samplesPerCpuSecond": n * epochs / cpu_seconds}

    def run_big(batch, epochs):
        # The training kernel's third target (issue 22): 784-512-256-10 relu, Adam (Keras' epsilon), batch 256.
        model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        seconds, cpu_seconds, _ = train_timed(model, optimizer, batch, epochs, warm_batches=5)
        return {
            "batchSize": batch,
            "epochs": epochs,
            "seconds": seconds,
            "samplesPerSecond": n * epochs / seconds,
            "samplesPerCpuSecond": n * epochs / cpu_seconds,
        }

    def on_threads(threads, work):
        previous = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return {**work(), "threads": threads}
        finally:
            torch.set_num_threads(previous)

    return {
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "b200": run(200, 2),
        "b32": run(32, 2),
        "loader32": run_loader(32, 1),
        # The batch-32 reference: a DataLoader feeding PyTorch on one thread.
        "loader32OneThread": on_threads(1, lambda: run_loader(32, 1)),
        "big256TwoThreads": on_threads(2, lambda: run_big(256, 1)),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: reference.py MNIST_DIR")
    mnist = sys.argv[1]
    images = read_idx(os.path.join(mnist, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte.gz"))
    X = images.reshape(len(images), -1) / 255.0
    y = labels.astype(np.int64)
    result = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "images": len(X),
        "sklearn": bench_sklearn(X, y),
        "torch": bench_torch(X, y),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
