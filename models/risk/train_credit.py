#!/usr/bin/env python3
"""Trains the credit scorecard on .data/credit.csv: weight-of-evidence bins, then a logistic regression.

Route (the simpler one to keep right): the bins and their WoE values are committed in
credit-scorecard.json and applied by the platform (subgraphs/risk/src/domain/credit-score.ts, one
rule: bin = the number of edges <= x); only the logistic regression on the WoE row is ONNX (skl2onnx,
zipmap off). The same JSON carries the coefficients, the 0-1000 scaling and the reason codes, so the
score and its reasons come from one file. Writes credit-scorecard.onnx, credit-scorecard.json, the
'credit' entries of manifest.json and metrics.json, and golden/credit.json.
"""
from __future__ import annotations

import json
import math
import os

os.environ.setdefault('OMP_NUM_THREADS', '1')

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
from skl2onnx import convert_sklearn  # noqa: E402
from skl2onnx.common.data_types import FloatTensorType  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

from common import HERE, SEED, f32, read_table, sha256_of, update_json, write_json, write_rows_json  # noqa: E402

NAME = 'credit-scorecard'
VERSION = '1'
OPSET = 15
FILE = 'credit-scorecard.onnx'
MIN_BIN_SHARE = 0.05
SCALING = {'basePoints': 600, 'baseOddsGoodToBad': 30, 'pointsToDoubleOdds': 50, 'min': 0, 'max': 1000, 'probabilityClamp': 1e-6}
REASONS = {'max': 4, 'minPointsLost': 1}

# name, unit, meaning, reason code, kind (how bin edges are rounded)
SPEC = [
    ('account_age_months', 'months (fractional)', "Months since the customer's oldest open account was opened, capped at 240.", 'ACCOUNT_AGE', 'unit'),
    ('monthly_inflow_log', 'log1p(minor units)', 'log1p of the mean monthly inbound sum over the last 6 months.', 'INCOME_LEVEL', 'sixteenth'),
    ('months_with_income_6m', 'count 0-6', 'Months of the last 6 with an inbound transfer from a third party.', 'INCOME_REGULARITY', 'integer'),
    ('avg_balance_90d_log', 'log1p(minor units)', 'log1p of max(0, mean end-of-day balance over the last 90 days).', 'BALANCE_LEVEL', 'sixteenth'),
    ('days_negative_90d', 'days 0-90', 'Days of the last 90 that ended with a negative balance.', 'OVERDRAFT_DAYS', 'integer'),
    ('outflow_inflow_ratio_90d', 'ratio 0-5', 'Outflows divided by inflows over the last 90 days, capped at 5; 5 when there were no inflows.', 'SPENDING_TO_INCOME', 'sixteenth'),
    ('failed_payments_90d', 'count 0-20', 'Payments refused for insufficient funds in the last 90 days, capped at 20.', 'FAILED_PAYMENTS', 'integer'),
    ('card_utilisation', 'ratio 0-2, or -1', 'Card balance divided by card limit, capped at 2; -1 for a customer without a card.', 'CARD_UTILISATION', 'card'),
]


def round_edge(q: float, kind: str) -> float:
    """Edges exactly representable in float32, so float32 and float64 comparisons agree."""
    if kind == 'integer':
        return math.floor(q) + 0.5
    if kind == 'unit':
        return float(round(q))
    return round(q * 16) / 16


def bin_of(edges, x):
    """The bin rule, said once: the number of edges e with e <= x (np.searchsorted side='right')."""
    return np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(x, dtype=np.float64), side='right')


def make_edges(x: np.ndarray, kind: str):
    if kind == 'card':
        owners = x[x >= 0]
        inner = sorted({round_edge(float(q), 'sixteenth') for q in np.quantile(owners, [0.25, 0.5, 0.75])} - {0.0})
        edges = [-0.5] + [e for e in inner if e > 0]
    else:
        edges = sorted({round_edge(float(q), kind) for q in np.quantile(x, [0.2, 0.4, 0.6, 0.8])})
        edges = [e for e in edges if x.min() < e <= x.max()]
    # Merge bins smaller than MIN_BIN_SHARE into their neighbour (drop an edge) until none is left.
    while edges:
        counts = np.bincount(bin_of(edges, x), minlength=len(edges) + 1) / len(x)
        small = int(np.argmin(counts))
        if counts[small] >= MIN_BIN_SHARE:
            break
        edges.pop(min(small, len(edges) - 1) if small == len(edges) else (small - 1 if small > 0 else 0))
    return [f32(e) for e in edges]


def woe_values(b: np.ndarray, y: np.ndarray, n_bins: int):
    """WoE of each bin = ln(share of goods / share of bads), with 0.5 added to every count."""
    good = np.bincount(b[y == 0], minlength=n_bins) + 0.5
    bad = np.bincount(b[y == 1], minlength=n_bins) + 0.5
    return [f32(v) for v in np.log((good / good.sum()) / (bad / bad.sum()))]


def woe_matrix(X, card):
    cols = [np.asarray(f['woe'], dtype=np.float32)[bin_of(f['edges'], X[:, j])] for j, f in enumerate(card['features'])]
    return np.column_stack(cols).astype(np.float32)


def scaled_score(p_default: float) -> int:
    """The 0-1000 rule (same in credit-score.ts): 600 at 30:1 good:bad odds, 50 points per doubling."""
    s = SCALING
    p = min(max(float(p_default), s['probabilityClamp']), 1 - s['probabilityClamp'])
    factor = s['pointsToDoubleOdds'] / math.log(2)
    points = s['basePoints'] + factor * (math.log((1 - p) / p) - math.log(s['baseOddsGoodToBad']))
    return int(min(s['max'], max(s['min'], math.floor(points + 0.5))))


def reasons(raw_row, card):
    """Features whose bin costs points against that feature's best bin, most points first (ties: contract order)."""
    factor = SCALING['pointsToDoubleOdds'] / math.log(2)
    lost = []
    for j, f in enumerate(card['features']):
        beta = card['coefficients'][j]
        points = [-factor * beta * w for w in f['woe']]
        here = points[int(bin_of(f['edges'], raw_row[j]))]
        lost.append((max(points) - here, j))
    picked = [(p, j) for p, j in lost if p >= REASONS['minPointsLost']]
    picked.sort(key=lambda x: (-x[0], x[1]))
    return [card['features'][j]['reasonCode'] for _, j in picked[:REASONS['max']]]


def main():
    names = [s[0] for s in SPEC]
    header, X, rest = read_table('credit.csv', len(names))
    assert header == names, 'credit.csv does not follow the scorecard features: regenerate it'
    y = np.asarray([int(v) for v in rest['default']])
    rng = np.random.default_rng(SEED)
    test = np.zeros(len(y), dtype=bool)
    for cls in (0, 1):   # stratified 70 / 30
        idx = np.flatnonzero(y == cls)
        test[rng.choice(idx, int(len(idx) * 0.3), replace=False)] = True
    train = ~test

    features = []
    for j, (name, unit, meaning, code, kind) in enumerate(SPEC):
        edges = make_edges(X[train, j], kind)
        woe = woe_values(bin_of(edges, X[train, j]), y[train], len(edges) + 1)
        features.append({'index': j, 'name': name, 'type': 'float32', 'unit': unit, 'meaning': meaning, 'reasonCode': code, 'edges': edges, 'woe': woe})
    card = {'features': features}
    W_train, W_test = woe_matrix(X[train], card), woe_matrix(X[test], card)

    lr = LogisticRegression(C=1.0, solver='lbfgs', max_iter=1000, random_state=SEED)
    lr.fit(W_train, y[train])
    onx = convert_sklearn(lr, name=NAME, initial_types=[('woe', FloatTensorType([None, len(names)]))],
                          target_opset={'': OPSET, 'ai.onnx.ml': 1}, options={id(lr): {'zipmap': False}})
    onx.doc_string = 'Credit default probability: input woe float32 [N, 8] (the WoE row of credit-scorecard.json), output probabilities [N, 2] = [repays, defaults].'
    onnx.helper.set_model_props(onx, {'name': NAME, 'version': VERSION, 'features': ','.join(names), 'contract': 'credit-scorecard.json'})
    onnx.checker.check_model(onx)
    opsets = {o.domain or 'ai.onnx': o.version for o in onx.opset_import}
    assert opsets.get('ai.onnx', 0) <= OPSET, opsets
    path = os.path.join(HERE, FILE)
    with open(path, 'wb') as f:
        f.write(onx.SerializeToString())
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    out_names = [o.name for o in sess.get_outputs()]
    assert out_names == ['label', 'probabilities'], out_names
    p_test = sess.run(['probabilities'], {'woe': W_test})[0][:, 1]

    scorecard = {
        'contract': 'credit-scorecard', 'version': 1, 'model': NAME, 'modelVersion': VERSION,
        'input': {'name': 'woe', 'dtype': 'float32', 'shape': ['N', len(names)]},
        'output': {'name': 'probabilities', 'dtype': 'float32', 'shape': ['N', 2], 'meaning': '[P(repays), P(defaults)]'},
        'rules': [
            'The raw features are computed from the ledger (float64; money as log1p of minor units, for the model only), in the order below; every value is finite.',
            "Bin of a value x: the number of the feature's edges e with e <= x (edges ascending, exact in float32). Its WoE is woe[bin], cast to float32; the WoE row goes into the model.",
            'WoE of a bin = ln(share of those who repaid / share of those who defaulted), 0.5 added to every count.',
            'Score = floor(basePoints + pointsToDoubleOdds / ln 2 * (ln((1 - p) / p) - ln baseOddsGoodToBad) + 0.5) clamped to [min, max], with p = P(defaults) clamped to [probabilityClamp, 1 - probabilityClamp].',
            "Reasons: for each feature, the points its bin loses against the feature's best bin, points(bin) = -pointsToDoubleOdds / ln 2 * coefficient * woe[bin]; those losing at least minPointsLost, most first (ties in feature order), at most max.",
        ],
        'features': features,
        'coefficients': [f32(c) for c in lr.coef_[0]],
        'intercept': f32(lr.intercept_[0]),
        'scaling': SCALING,
        'reasons': REASONS,
    }
    write_json(os.path.join(HERE, 'credit-scorecard.json'), scorecard)

    metrics = {
        'model': NAME, 'version': VERSION, 'split': 'stratified random 70 / 30',
        'train': {'rows': int(train.sum()), 'defaults': int(y[train].sum())},
        'test': {'rows': int(test.sum()), 'defaults': int(y[test].sum())},
        'rocAuc': round(float(roc_auc_score(y[test], p_test)), 4),
        'averagePrecision': round(float(average_precision_score(y[test], p_test)), 4),
        'gini': round(2 * float(roc_auc_score(y[test], p_test)) - 1, 4),
        'scoreQuantiles': {q: int(np.quantile([scaled_score(p) for p in p_test], float(q))) for q in ('0.05', '0.25', '0.5', '0.75', '0.95')},
        'maxAbsDiffOnnxVsSklearn': float(np.abs(p_test - lr.predict_proba(W_test)[:, 1]).max()),
    }
    update_json(os.path.join(HERE, 'metrics.json'), 'credit', metrics)
    update_json(os.path.join(HERE, 'manifest.json'), 'credit', {
        'name': NAME, 'version': VERSION, 'file': FILE, 'sha256': sha256_of(path), 'bytes': os.path.getsize(path),
        'input': 'woe', 'inputWidth': len(names), 'output': 'probabilities', 'outputWidth': 2,
        'opsets': {'ai.onnx': opsets.get('ai.onnx', 0), 'ai.onnx.ml': opsets.get('ai.onnx.ml', 0)}, 'irVersion': onx.ir_version,
        'contract': 'credit-scorecard.json',
    })

    # Golden vectors: 44 held-out applicants and 6 edge rows (values on edges, below every edge, no card, caps).
    idx = rng.choice(np.flatnonzero(test), 44, replace=False)
    rows = [X[i] for i in sorted(idx)]
    on_edge = [f['edges'][len(f['edges']) // 2] for f in features]
    rows.append(np.asarray(on_edge, dtype=np.float32))
    rows.append(np.asarray([f['edges'][0] for f in features], dtype=np.float32))
    rows.append(np.asarray([0, 0, 0, 0, 0, 0, 0, -1], dtype=np.float32))
    rows.append(np.asarray([240, 16, 6, 16, 90, 5, 20, 2], dtype=np.float32))
    rows.append(np.asarray([240, 14, 6, 14, 0, 0.5, 0, 0], dtype=np.float32))
    rows.append(np.asarray([1, 10, 1, 5, 60, 5, 12, 1.5], dtype=np.float32))
    R = np.stack(rows).astype(np.float32)
    G = woe_matrix(R, card)
    g_ort = sess.run(['probabilities'], {'woe': G})[0]
    g_skl = lr.predict_proba(G)
    write_rows_json(os.path.join(HERE, 'golden', 'credit.json'), {
        'model': NAME, 'version': VERSION, 'sha256': sha256_of(path), 'input': 'woe', 'output': 'probabilities',
        'features': names, 'tolerance': 1e-6,
        'note': 'raw: the features; woe: the float32 row the platform feeds the model (credit-scorecard.json bins); onnxruntime: Python CPU outputs the Node test must reproduce within the tolerance; sklearn: native float64 outputs, for comparison; score and reasons: the rules of credit-scorecard.json applied to the onnxruntime P(defaults).',
        'onnxruntimeVersion': ort.__version__, 'maxAbsDiffOnnxVsSklearn': float(np.abs(g_ort - g_skl).max()),
    }, {
        'raw': [[f32(v) for v in r] for r in R],
        'woe': [[f32(v) for v in r] for r in G],
        'onnxruntime': [[f32(v) for v in r] for r in g_ort],
        'sklearn': [[float(v) for v in r] for r in g_skl],
        'score': [scaled_score(f32(r[1])) for r in g_ort],
        'reasons': [reasons(r, scorecard) for r in R],
    })
    print(json.dumps({k: metrics[k] for k in ('rocAuc', 'averagePrecision', 'gini', 'scoreQuantiles', 'maxAbsDiffOnnxVsSklearn')}, indent=1))
    print('edges:', {f['name']: f['edges'] for f in features})
    print('coefficients:', scorecard['coefficients'], 'intercept', scorecard['intercept'])
    print(f'{FILE}: {os.path.getsize(path)} bytes, sha256 {sha256_of(path)}')


if __name__ == '__main__':
    main()
