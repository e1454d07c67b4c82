"""Renders synthetic Brazilian CNH- and RG-like document images with known text, and golden.json
with the fields the OCR must extract from each. Fictitious people; the CPFs are made up but carry
valid check digits. The face-photo area is a grey placeholder box (the FACE worker's own fixtures
carry faces).

    python3 -m venv /tmp/venv-ocr && /tmp/venv-ocr/bin/pip install Pillow
    /tmp/venv-ocr/bin/python models/kyc/documents/render_documents.py

Fonts: DejaVu Sans from Debian's fonts-dejavu-core (/usr/share/fonts/truetype/dejavu). Output is
deterministic for the same Pillow and font versions (random noise uses a fixed seed).
"""
import json
import os
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = "/usr/share/fonts/truetype/dejavu"
REGULAR = os.path.join(FONTS, "DejaVuSans.ttf")
BOLD = os.path.join(FONTS, "DejaVuSans-Bold.ttf")
CONDENSED = os.path.join(FONTS, "DejaVuSansCondensed-Bold.ttf")


def cpf_with_check_digits(first9):
    digits = [int(c) for c in first9]
    for n in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(n, 1, -1)))
        r = total % 11
        digits.append(0 if r < 2 else 11 - r)
    return "".join(str(d) for d in digits)


def fmt_cpf(cpf):
    return f"{cpf[0:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:11]}"


def fmt_date(iso):
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


PEOPLE = [
    # kind, file, name, first 9 CPF digits, date of birth, document number, extra
    ("CNH", "cnh-joao-conceicao-araujo.png", "JOÃO CONCEIÇÃO ARAÚJO", "529982247", "1990-03-15", "04512873361", {}),
    ("CNH", "cnh-maria-goncalves-sa.png", "MARIA GONÇALVES DE SÁ", "168995350", "1985-11-02", "73920415586", {"tint": (226, 236, 214)}),
    ("CNH", "cnh-ines-magalhaes-simoes.png", "INÊS MAGALHÃES SIMÕES", "390533447", "2001-07-30", "61038274950", {"blur": 0.6}),
    ("RG", "rg-antonio-brandao-lopes.png", "ANTÔNIO BRANDÃO LOPES", "111444777", "1978-01-09", "23.456.789-2", {}),
    ("RG", "rg-lucia-pereira-guimaraes.png", "LÚCIA PEREIRA GUIMARÃES", "935411347", "1999-12-24", "34.871.205-X", {"noise": 10}),
    ("RG", "rg-jose-estevao-conceicao.png", "JOSÉ ESTÊVÃO DA CONCEIÇÃO", "714602380", "2010-05-18", "45.190.733-6", {}),
    # The fixture OFAC SDN list's fictional person (subgraphs/kyc/fixtures/sanctions): the KYC flow's screening case.
    ("CNH", "cnh-carlos-malvado-ferreira.png", "CARLOS EDUARDO MALVADO FERREIRA", "306248173", "1975-03-14", "58204736190", {}),
]


def font(path, size):
    return ImageFont.truetype(path, size)


def background(w, h, tint, seed):
    img = Image.new("RGB", (w, h), tint)
    d = ImageDraw.Draw(img)
    rnd = random.Random(seed)
    # Faint guilloche-like wavy lines, as security printing (light enough not to read as text).
    for i in range(0, h, 14):
        c = tuple(max(0, v - 12) for v in tint)
        pts = [(x, i + 4 * ((x // 20 + i) % 3 - 1)) for x in range(0, w + 20, 20)]
        d.line(pts, fill=c, width=1)
    for _ in range(30):
        x, y = rnd.randrange(w), rnd.randrange(h)
        r = rnd.randrange(20, 60)
        d.ellipse((x - r, y - r, x + r, y + r), outline=tuple(max(0, v - 8) for v in tint))
    return img


def field(d, x, y, label, value, label_size=16, value_size=26):
    d.text((x, y), label, font=font(BOLD, label_size), fill=(40, 90, 60))
    d.text((x, y + label_size + 6), value, font=font(REGULAR, value_size), fill=(15, 15, 15))


def photo_box(d, box):
    d.rectangle(box, fill=(150, 150, 150), outline=(90, 90, 90), width=2)


def render_cnh(name, cpf, dob, number, extra, seed):
    w, h = 1000, 640
    img = background(w, h, extra.get("tint", (222, 234, 222)), seed)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 70), fill=(40, 110, 70))
    d.text((30, 10), "REPÚBLICA FEDERATIVA DO BRASIL", font=font(BOLD, 22), fill=(255, 255, 255))
    d.text((30, 40), "CARTEIRA NACIONAL DE HABILITAÇÃO", font=font(BOLD, 20), fill=(255, 255, 255))
    photo_box(d, (30, 100, 270, 420))
    field(d, 300, 95, "NOME", name, value_size=30)
    field(d, 300, 180, "DOC. IDENTIDADE / ÓRG. EMISSOR / UF", f"{number[-8:]} SSP SP")
    field(d, 300, 255, "CPF", fmt_cpf(cpf))
    field(d, 620, 255, "DATA NASCIMENTO", fmt_date(dob))
    field(d, 300, 330, "Nº REGISTRO", number)
    field(d, 620, 330, "VALIDADE", "12/08/2031")
    field(d, 300, 405, "1ª HABILITAÇÃO", "20/05/2010")
    field(d, 620, 405, "CAT. HAB.", "AB")
    d.text((30, 560), "DEPARTAMENTO NACIONAL DE TRÂNSITO", font=font(CONDENSED, 18), fill=(40, 90, 60))
    return img


def render_rg(name, cpf, dob, number, extra, seed):
    w, h = 1000, 640
    img = background(w, h, extra.get("tint", (214, 226, 238)), seed)
    d = ImageDraw.Draw(img)
    d.text((220, 20), "REPÚBLICA FEDERATIVA DO BRASIL", font=font(BOLD, 24), fill=(20, 40, 90))
    d.text((300, 56), "CARTEIRA DE IDENTIDADE", font=font(BOLD, 22), fill=(20, 40, 90))
    photo_box(d, (40, 120, 260, 400))
    field(d, 300, 115, "REGISTRO GERAL", number)
    field(d, 620, 115, "DATA DE EXPEDIÇÃO", "03/02/2020")
    field(d, 300, 195, "NOME", name, value_size=30)
    field(d, 300, 280, "FILIAÇÃO", "CARLOS EDUARDO NUNES")
    d.text((300, 350), "ANA PAULA NUNES", font=font(REGULAR, 26), fill=(15, 15, 15))
    field(d, 300, 400, "DATA DE NASCIMENTO", fmt_date(dob))
    field(d, 620, 400, "CPF", fmt_cpf(cpf))
    field(d, 300, 480, "NATURALIDADE", "SÃO PAULO - SP")
    d.text((40, 580), "SECRETARIA DA SEGURANÇA PÚBLICA", font=font(CONDENSED, 18), fill=(20, 40, 90))
    return img


def finish(img, extra, seed):
    if "blur" in extra:
        img = img.filter(ImageFilter.GaussianBlur(extra["blur"]))
    if "noise" in extra:
        rnd = random.Random(seed)
        px = img.load()
        for _ in range(img.width * img.height // 6):
            x, y = rnd.randrange(img.width), rnd.randrange(img.height)
            n = rnd.randint(-extra["noise"], extra["noise"])
            r, g, b = px[x, y]
            px[x, y] = (max(0, min(255, r + n)), max(0, min(255, g + n)), max(0, min(255, b + n)))
    # 64-colour palette keeps each PNG small (well under 300 KB) without blurring edges.
    return img.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main():
    golden = {}
    for i, (kind, file, name, cpf9, dob, number, extra) in enumerate(PEOPLE):
        cpf = cpf_with_check_digits(cpf9)
        render = render_cnh if kind == "CNH" else render_rg
        img = finish(render(name, cpf, dob, number, extra, seed=i), extra, seed=i)
        path = os.path.join(HERE, file)
        img.save(path, optimize=True)
        golden[file] = {"documentType": kind, "fullName": name, "cpf": cpf, "dateOfBirth": dob, "documentNumber": number}
        print(file, os.path.getsize(path), "bytes")
    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
