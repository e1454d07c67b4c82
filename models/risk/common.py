"""Shared by the training scripts: reading the generated tables, the manifest and the metrics file."""
from __future__ import annotations

import csv
import hashlib
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '.data')
SEED = 7
TRAIN_UNTIL_DAY = 50.0   # fraud: train on days 30-50, hold out days 50-60


def read_table(name: str, n_features: int):
    """The first n_features columns as float32, then the remaining columns as strings."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        raise SystemExit(f'{path} is missing: run `python3 generate.py` first')
    with open(path, encoding='utf-8') as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    X = np.asarray([[float(v) for v in r[:n_features]] for r in rows], dtype=np.float32)
    rest = {h: [r[i] for r in rows] for i, h in enumerate(header) if i >= n_features}
    return header[:n_features], X, rest


def f32(x) -> float:
    """A float32 value as the float64 number that equals it exactly (so JSON round-trips it)."""
    return float(np.float32(x))


def sha256_of(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def update_json(path: str, key: str, value) -> None:
    """Read-modify-write one top-level key of a small committed JSON file."""
    data = {}
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    data[key] = value
    write_json(path, dict(sorted(data.items())))


def write_json(path: str, data) -> None:
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=2)
        f.write('\n')


def write_rows_json(path: str, head: dict, rows_keys: dict) -> None:
    """A golden file: head fields pretty, then each row of every list on one line (diff-friendly)."""
    lines = ['{']
    items = list(head.items())
    for k, v in items:
        lines.append(f'  {json.dumps(k)}: {json.dumps(v)},')
    keys = list(rows_keys.items())
    for j, (k, rows) in enumerate(keys):
        lines.append(f'  {json.dumps(k)}: [')
        for i, row in enumerate(rows):
            lines.append('    ' + json.dumps(row) + (',' if i < len(rows) - 1 else ''))
        lines.append('  ]' + (',' if j < len(keys) - 1 else ''))
    lines.append('}')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
