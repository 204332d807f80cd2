#!/usr/bin/env python3
"""The reference of `ich bench quality`: a plain PyTorch training script on the rows ich exported.

Reads DIR/train_x.npy (uint8, N x C x S x S), DIR/train_y.npy (uint8, N x L) and DIR/valid_x.npy; trains a
torchvision ResNet from its default initialisation with BCEWithLogitsLoss (weight 2 on "any"), AdamW and
OneCycleLR over all steps, horizontal flips as the only augmentation, reshuffled every epoch; writes the sigmoid
outputs on the valid rows (eval mode) to DIR/reference_valid_p.npy and prints `reference.NAME VALUE` lines.

Usage: train_reference.py DIR ARCH EPOCHS BATCH MAX_LR WEIGHT_DECAY FLIP SEED THREADS
Needs Debian's python3-torch and python3-torchvision.
"""
import sys
import time

import numpy as np
import torch
import torchvision


def network(arch, channels, outputs):
    net = getattr(torchvision.models, arch)(num_classes=outputs)
    if channels != 3:
        old = net.conv1
        net.conv1 = torch.nn.Conv2d(channels, old.out_channels, old.kernel_size, old.stride, old.padding, bias=False)
        torch.nn.init.kaiming_normal_(net.conv1.weight, mode="fan_out", nonlinearity="relu")
    return net


def auc(scores, truth):
    """Rank AUC (ties share their mean rank); NaN when a class is missing."""
    positives = truth.sum()
    negatives = len(truth) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    return (ranks[truth == 1].sum() - positives * (positives + 1) / 2.0) / (positives * negatives)


def weighted_log_loss(probs, truth, weights):
    p = np.clip(probs, 1e-15, 1 - 1e-15)
    per_label = -(truth * np.log(p) + (1 - truth) * np.log(1 - p)).mean(axis=0)
    return float((per_label * weights).sum() / weights.sum())


def predict(net, x, batch):
    net.eval()
    probs = []
    with torch.no_grad():
        for b in range(0, len(x), batch):
            probs.append(torch.sigmoid(net(x[b:b + batch].float() / 255.0)))
    return torch.cat(probs).numpy().astype(np.float64)


def main():
    data, arch = sys.argv[1], sys.argv[2]
    epochs, batch = int(sys.argv[3]), int(sys.argv[4])
    max_lr, weight_decay, flip = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
    seed, threads = int(sys.argv[8]), int(sys.argv[9])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x = torch.from_numpy(np.load(f"{data}/train_x.npy"))
    y = torch.from_numpy(np.load(f"{data}/train_y.npy")).float()
    valid_x = torch.from_numpy(np.load(f"{data}/valid_x.npy"))
    valid_y = np.load(f"{data}/valid_y.npy").astype(np.int64)
    outputs = y.shape[1]
    weights = torch.ones(outputs)
    weights[0] = 2.0
    net = network(arch, x.shape[1], outputs)
    loss_fn = torch.nn.BCEWithLogitsLoss(weight=weights)
    optimiser = torch.optim.AdamW(net.parameters(), lr=max_lr, weight_decay=weight_decay)
    steps = (len(x) + batch - 1) // batch
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=max_lr, total_steps=epochs * steps)

    train_seconds, valid_seconds = 0.0, 0.0
    for epoch in range(epochs):
        start = time.perf_counter()
        net.train()
        order = torch.randperm(len(x))
        total, seen = 0.0, 0
        for b in range(steps):
            idx = order[b * batch:(b + 1) * batch]
            xb = x[idx].float() / 255.0
            flipped = torch.rand(len(idx)) < flip
            xb[flipped] = xb[flipped].flip(-1)
            loss = loss_fn(net(xb), y[idx])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        train_seconds += time.perf_counter() - start
        start = time.perf_counter()
        probs = predict(net, valid_x, batch)
        valid_seconds += time.perf_counter() - start
        print(f"# reference epoch {epoch + 1}/{epochs} train loss {total / seen:.4f}", flush=True)
        print(f"reference.epoch.{epoch + 1} {total / seen:.4f} {weighted_log_loss(probs, valid_y, weights.numpy()):.4f}"
              f" {auc(probs[:, 0], valid_y[:, 0]):.4f}", flush=True)

    np.save(f"{data}/reference_valid_p.npy", probs.astype(np.float32))
    print(f"reference.train_seconds {train_seconds:.1f}")
    print(f"reference.valid_seconds {valid_seconds:.1f}")
    print(f"reference.torch_version {torch.__version__.split('+')[0]}")


if __name__ == "__main__":
    main()
