import { foldText, parseCpf, parseDayFirstDate, parseDocumentNumber, parsePersonName } from './field-parsers';
import type { OcrLine } from './ocr-types';

export type DocumentType = 'CNH' | 'RG' | 'PASSPORT' | 'UNKNOWN';

/** What the OCR read off an identity document. Absent fields were not found (or did not parse). */
export type DocumentFields = {
  documentType: DocumentType;
  fullName?: string;
  /** 11 digits, as read (check digits not verified: crossCheckApplicant reports OCR_CPF_INVALID). */
  cpf?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** As printed: the CNH's Nº REGISTRO, the RG's REGISTRO GERAL, the passport number. */
  documentNumber?: string;
  /** The lowest recognition confidence (0..1) of the lines the fields came from; 0 when none was found. */
  confidence: number;
};

type FieldRule = { label: RegExp; parse(text: string): string | undefined };

// Labels are matched on folded text (no accents, upper case, º -> O); group 1 is what follows the
// label on the same line (a value printed beside its label).
const NAME: FieldRule = { label: /^NOME\b(?! SOCIAL| DO | DA | DE GUERRA)(?: COMPLETO| CIVIL)?(?: ?\/ ?NAME)?\s*:?\s*(.*)$/, parse: parsePersonName };
const CPF: FieldRule = { label: /^CPF(?: ?\/ ?[A-Z]+)?\b\s*:?\s*(.*)$/, parse: parseCpf };
const BIRTH: FieldRule = { label: /^(?:DATA[ ,A-Z]*? )?NASC(?:IMENTO|\.)?(?:[ /A-Z]*?)\s*:?\s*(\d.*)?$/, parse: parseDayFirstDate };
const CNH_NUMBER: FieldRule = { label: /^(?:N[O0]?\.? ?)?REGISTRO(?! GERAL)\b\s*:?\s*(.*)$/, parse: parseDocumentNumber };
const RG_NUMBER: FieldRule = { label: /^(?:REGISTRO GERAL|RG)\b\s*:?\s*(.*)$/, parse: parseDocumentNumber };
const PASSPORT_NUMBER: FieldRule = { label: /^(?:PASSAPORTE|PASSPORT) (?:N[O0]?\.?|NUMBER|NUMERO)\b(?: ?\/ ?PASSPORT N[O0]\.?)?\s*:?\s*(.*)$/, parse: parseDocumentNumber };

/** Other labels printed on Brazilian documents: never taken as a value. */
const OTHER_LABELS = /^(?:NOME|FILIACAO|VALIDADE|NATURALIDADE|DATA DE EXPEDICAO|DATA EMISSAO|CAT\.? HAB\.?|1A HABILITACAO|OBSERVACOES|ASSINATURA|LOCAL|DOC\.? IDENTIDADE|PERMISSAO|ACC|ORGAO EMISSOR|UF|NACIONALIDADE|SEXO)\b/;

const ALL_RULES = [NAME, CPF, BIRTH, CNH_NUMBER, RG_NUMBER, PASSPORT_NUMBER];

export function detectDocumentType(lines: readonly OcrLine[]): DocumentType {
  const text = lines.map((l) => foldText(l.text)).join('\n');
  if (/HABILITACAO|DRIVER LICEN[CS]E/.test(text)) return 'CNH';
  if (/PASSAPORTE|PASSPORT/.test(text)) return 'PASSPORT';
  if (/CARTEIRA DE IDENTIDADE|CARTEIRA DE IDENTIDADE NACIONAL|REGISTRO GERAL|CEDULA DE IDENTIDADE/.test(text)) return 'RG';
  return 'UNKNOWN';
}

/**
 * The applicant's fields on an identity document, from the OCR's lines (any order: the boxes give
 * the layout). Each field is found by its printed label: the value beside it on the same line, or
 * else the nearest line below that overlaps it horizontally (within about two label heights) and
 * parses as that field; lines that are themselves labels are skipped. Nothing is guessed from
 * unlabelled text. Pure; never throws on odd input.
 */
export function extractDocumentFields(lines: readonly OcrLine[]): DocumentFields {
  const documentType = detectDocumentType(lines);
  const folded = lines.map((l) => foldText(l.text));
  const used: number[] = [];
  const find = (rule: FieldRule): string | undefined => {
    for (let i = 0; i < lines.length; i++) {
      const m = rule.label.exec(folded[i]!);
      if (!m) continue;
      const rest = (m[1] ?? '').trim();
      if (rest) {
        // The value beside the label: parse the original text after the label's length of characters.
        const inline = rule.parse(lines[i]!.text.slice(lines[i]!.text.length - rest.length));
        if (inline !== undefined) {
          used.push(lines[i]!.confidence);
          return inline;
        }
      }
      for (const j of linesBelow(lines, i)) {
        if (isLabel(folded[j]!)) continue;
        const value = rule.parse(lines[j]!.text);
        if (value !== undefined) {
          used.push(lines[j]!.confidence);
          return value;
        }
      }
    }
    return undefined;
  };
  const numberRules = documentType === 'CNH' ? [CNH_NUMBER] : documentType === 'RG' ? [RG_NUMBER] : documentType === 'PASSPORT' ? [PASSPORT_NUMBER] : [CNH_NUMBER, RG_NUMBER, PASSPORT_NUMBER];
  const fullName = find(NAME);
  const cpf = find(CPF);
  const dateOfBirth = find(BIRTH);
  let documentNumber: string | undefined;
  for (const rule of numberRules) documentNumber ??= find(rule);
  return {
    documentType,
    ...(fullName !== undefined ? { fullName } : {}),
    ...(cpf !== undefined ? { cpf } : {}),
    ...(dateOfBirth !== undefined ? { dateOfBirth } : {}),
    ...(documentNumber !== undefined ? { documentNumber } : {}),
    confidence: used.length === 0 ? 0 : Math.min(...used),
  };
}

function isLabel(folded: string): boolean {
  return OTHER_LABELS.test(folded) || ALL_RULES.some((r) => r.label.test(folded));
}

/** Indexes of the lines under line i, overlapping it horizontally, within about two of its heights; nearest first. */
function linesBelow(lines: readonly OcrLine[], i: number): number[] {
  const label = lines[i]!.box;
  const bottom = label.y + label.height;
  const reach = Math.max(2 * label.height, 24);
  const found: { j: number; gap: number }[] = [];
  lines.forEach((line, j) => {
    if (j === i) return;
    const b = line.box;
    const gap = b.y - bottom;
    const overlap = Math.min(label.x + label.width, b.x + b.width) - Math.max(label.x, b.x);
    if (b.y >= label.y + label.height * 0.6 && gap <= reach && overlap > 0) found.push({ j, gap });
  });
  return found.sort((a, b) => a.gap - b.gap).map((f) => f.j);
}
