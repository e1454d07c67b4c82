#!/usr/bin/env python3
"""Trains the fraud model (LightGBM) on .data/fraud.csv and ships it as ONNX.

Writes fraud-gbdt.onnx, its entry in manifest.json, the 'fraud' figures in metrics.json and
golden/fraud.json (50 held-out rows with the onnxruntime and LightGBM outputs). Deterministic: one
thread, fixed seed, no bagging. `python3 train_fraud.py` after `python3 generate.py`.
"""
from __future__ import annotations

import collections
import json
import os

os.environ.setdefault('OMP_NUM_THREADS', '1')

import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxmltools  # noqa: E402
import onnxruntime as ort  # noqa: E402
from onnxmltools.convert.common.data_types import FloatTensorType  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from common import HERE, SEED, TRAIN_UNTIL_DAY, f32, read_table, sha256_of, update_json, write_rows_json  # noqa: E402

NAME = 'fraud-gbdt'
VERSION = '1'
OPSET = 15   # the most the converter may use; it picks the lowest that suffices
FILE = 'fraud-gbdt.onnx'
PARAMS = dict(
    n_estimators=100, max_depth=6, num_leaves=31, learning_rate=0.1, min_child_samples=20,
    subsample=1.0, colsample_bytree=1.0, reg_lambda=1.0, random_state=SEED, n_jobs=1,
    deterministic=True, force_row_wise=True, verbose=-1,
)


def main():
    contract = json.load(open(os.path.join(HERE, 'fraud-features.json'), encoding='utf-8'))
    names = [f['name'] for f in contract['features']]
    header, X, rest = read_table('fraud.csv', len(names))
    assert header == names, 'fraud.csv does not follow fraud-features.json: regenerate it'
    y = np.asarray([int(v) for v in rest['label']])
    day = np.asarray([float(v) for v in rest['day']])
    pattern = np.asarray(rest['pattern'])
    train, test = day < TRAIN_UNTIL_DAY, day >= TRAIN_UNTIL_DAY

    model = lgb.LGBMClassifier(**PARAMS)
    model.fit(X[train], y[train])

    onx = onnxmltools.convert_lightgbm(
        model, name=NAME, initial_types=[('features', FloatTensorType([None, len(names)]))],
        target_opset=OPSET, zipmap=False,
    )
    onx.doc_string = 'Fraud probability of one money movement: input features float32 [N, 22] as fraud-features.json, output probabilities [N, 2] = [legitimate, fraud].'
    for k, v in {'name': NAME, 'version': VERSION, 'features': ','.join(names), 'contract': 'fraud-features.json v%d' % contract['version']}.items():
        onnx.helper.set_model_props(onx, {**{p.key: p.value for p in onx.metadata_props}, k: v})
    ml = {o.domain: o.version for o in onx.opset_import}
    assert ml.get('', 0) <= OPSET and set(ml) <= {'', 'ai.onnx.ml'}, ml
    onnx.checker.check_model(onx)
    path = os.path.join(HERE, FILE)
    with open(path, 'wb') as f:
        f.write(onx.SerializeToString())

    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    assert [o.name for o in sess.get_outputs()] == ['label', 'probabilities'], [o.name for o in sess.get_outputs()]
    p_ort = sess.run(['probabilities'], {'features': X[test]})[0]
    p_lgb = model.predict_proba(X[test])
    score = p_ort[:, 1]
    by_pattern = {}
    neg = y[test] == 0
    for pat in sorted(set(pattern[test]) - {'normal'}):
        sel = neg | (pattern[test] == pat)
        by_pattern[pat] = {'positives': int((pattern[test] == pat).sum()), 'rocAuc': round(float(roc_auc_score(y[test][sel], score[sel])), 4)}
    threshold = 0.5
    metrics = {
        'model': NAME, 'version': VERSION,
        'split': f'time: train days 30-{TRAIN_UNTIL_DAY:g}, hold out days {TRAIN_UNTIL_DAY:g}-60',
        'train': {'rows': int(train.sum()), 'fraud': int(y[train].sum())},
        'test': {'rows': int(test.sum()), 'fraud': int(y[test].sum())},
        'rocAuc': round(float(roc_auc_score(y[test], score)), 4),
        'averagePrecision': round(float(average_precision_score(y[test], score)), 4),
        'atThreshold0.5': {
            'precision': round(float(y[test][score >= threshold].mean()), 4) if (score >= threshold).any() else None,
            'recall': round(float((score[y[test] == 1] >= threshold).mean()), 4),
        },
        'rocAucByPattern': by_pattern,
        'maxAbsDiffOnnxVsLightgbm': float(np.abs(p_ort[:, 1] - p_lgb[:, 1]).max()),
        'featureImportanceGain': {n: round(float(g), 1) for n, g in sorted(zip(names, model.booster_.feature_importance('gain')), key=lambda x: -x[1])},
    }
    update_json(os.path.join(HERE, 'metrics.json'), 'fraud', metrics)
    update_json(os.path.join(HERE, 'manifest.json'), 'fraud', {
        'name': NAME, 'version': VERSION, 'file': FILE, 'sha256': sha256_of(path), 'bytes': os.path.getsize(path),
        'input': 'features', 'inputWidth': len(names), 'output': 'probabilities', 'outputWidth': 2,
        'opsets': {'ai.onnx': ml.get('', 0), 'ai.onnx.ml': ml.get('ai.onnx.ml', 0)}, 'irVersion': onx.ir_version, 'contract': 'fraud-features.json',
    })

    # Golden vectors: 20 frauds across the patterns, 28 legitimate, and 2 rows of edge values.
    rng = np.random.default_rng(SEED)
    idx = np.flatnonzero(test)
    fraud_idx = rng.choice(idx[y[idx] == 1], 20, replace=False)
    legit_idx = rng.choice(idx[y[idx] == 0], 28, replace=False)
    rows = [X[i] for i in sorted(np.concatenate([fraud_idx, legit_idx]))]
    absent = [f['absent'] if f['absent'] is not None else 0 for f in contract['features']]
    rows.append(np.asarray(absent, dtype=np.float32))
    rows.append(np.asarray([1e4, 1e4, 30, 30, 1e4, 1e4, 30, 30, 1, 1, 1, 30, 1000, 3650, 23, 3, 100, 100, 0, 0, 1, 1], dtype=np.float32))
    G = np.stack(rows).astype(np.float32)
    g_ort = sess.run(['probabilities'], {'features': G})[0]
    g_lgb = model.predict_proba(G)
    write_rows_json(os.path.join(HERE, 'golden', 'fraud.json'), {
        'model': NAME, 'version': VERSION, 'sha256': sha256_of(path), 'input': 'features', 'output': 'probabilities',
        'features': names, 'tolerance': 1e-6,
        'note': 'onnxruntime (Python, CPU) outputs are what the Node test must reproduce within the tolerance; lightgbm are the native model outputs in float64, for comparison only.',
        'onnxruntimeVersion': ort.__version__, 'maxAbsDiffOnnxVsLightgbm': float(np.abs(g_ort - g_lgb).max()),
    }, {
        'inputs': [[f32(v) for v in r] for r in G],
        'onnxruntime': [[f32(v) for v in r] for r in g_ort],
        'lightgbm': [[float(v) for v in r] for r in g_lgb],
    })
    print(json.dumps({k: metrics[k] for k in ('rocAuc', 'averagePrecision', 'atThreshold0.5', 'rocAucByPattern', 'maxAbsDiffOnnxVsLightgbm')}, indent=1))
    print(f'{FILE}: {os.path.getsize(path)} bytes, sha256 {sha256_of(path)}')
    print('patterns in the golden rows:', dict(collections.Counter(pattern[fraud_idx])))


if __name__ == '__main__':
    main()
