"""Cuts the face samples out of `assets/screenshot-facematch.jpg` of npm @vladmandic/human 3.3.6 (MIT).

That screenshot shows Human's face-match demo: a grid of 6x18 face tiles (about 102x106 px each)
extracted from the demo's sample photos. Row 0, columns 0-8 (except 6, 9) are photos of one man
(the demo ranks them as the closest matches to the selected face; identity judged by eye too);
the other picks are different people. Each tile is padded (dark grey) to 160x160 so the face is
not cut at the image border, and written as JPEG q95. The tiles carry the demo's small text
overlays (similarity percent, age/gender); they were left as they are.

Usage: python make-samples.py <human package dir> <out dir>
"""
import json
import sys

from PIL import Image

ROWS_Y = [283, 395, 508, 620, 733, 845]
PERSON_A = [(0, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)]
OTHERS = [(1, 6), (1, 7), (1, 10), (2, 1), (2, 2), (2, 3), (2, 6), (3, 2), (3, 5), (4, 1), (4, 5), (4, 8), (5, 2), (5, 5)]
SIZE = 160


def tile(im: Image.Image, r: int, c: int) -> Image.Image:
    x = round(5 + c * 106.6)
    y = ROWS_Y[r]
    t = im.crop((x, y, x + 102, y + 106))
    canvas = Image.new('RGB', (SIZE, SIZE), (40, 40, 40))
    canvas.paste(t, ((SIZE - 102) // 2, (SIZE - 106) // 2))
    return canvas


def main() -> None:
    human_dir, out_dir = sys.argv[1:3]
    src = 'assets/screenshot-facematch.jpg'
    im = Image.open(f'{human_dir}/{src}').convert('RGB')
    index = []
    for i, (r, c) in enumerate(PERSON_A):
        name = f'person-a-{i + 1}.jpg'
        tile(im, r, c).save(f'{out_dir}/{name}', quality=95)
        index.append({'file': name, 'person': 'a', 'source': f'@vladmandic/human@3.3.6 {src} tile row {r} col {c}'})
    for i, (r, c) in enumerate(OTHERS):
        name = f'other-{i + 1:02d}.jpg'
        tile(im, r, c).save(f'{out_dir}/{name}', quality=95)
        index.append({'file': name, 'person': f'o{i + 1:02d}', 'source': f'@vladmandic/human@3.3.6 {src} tile row {r} col {c}'})
    with open(f'{out_dir}/index.json', 'w') as f:
        json.dump({'licence': 'MIT (@vladmandic/human 3.3.6 package assets)', 'samples': index}, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
