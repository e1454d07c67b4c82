import { normalizeName } from './normalize-name';

/**
 * Country names as the lists write them (OFAC remarks "nationality Brazil", UN NATIONALITY/VALUE)
 * to ISO 3166 alpha-2, for the countries of the fixtures and the usual neighbours; anything else
 * is compared by its normalised text. Extend the table when importing real lists if needed.
 */
const BY_NAME: Record<string, string> = {
  afghanistan: 'AF', algeria: 'DZ', angola: 'AO', argentina: 'AR', belarus: 'BY', bolivia: 'BO', brazil: 'BR', brasil: 'BR',
  chile: 'CL', china: 'CN', colombia: 'CO', 'congo democratic republic': 'CD', 'democratic republic congo': 'CD',
  cuba: 'CU', ecuador: 'EC', egypt: 'EG', france: 'FR', germany: 'DE', iran: 'IR', 'iran islamic republic': 'IR', iraq: 'IQ',
  italy: 'IT', jordan: 'JO', lebanon: 'LB', libya: 'LY', mexico: 'MX', morocco: 'MA', mozambique: 'MZ',
  'north korea': 'KP', 'korea north': 'KP', pakistan: 'PK', panama: 'PA', paraguay: 'PY', peru: 'PE', portugal: 'PT',
  russia: 'RU', 'russian federation': 'RU', 'saudi arabia': 'SA', somalia: 'SO', spain: 'ES', sudan: 'SD',
  syria: 'SY', 'syrian arab republic': 'SY', turkey: 'TR', turkiye: 'TR', ukraine: 'UA',
  'united arab emirates': 'AE', 'united kingdom': 'GB', 'united states': 'US', uruguay: 'UY', venezuela: 'VE', yemen: 'YE',
};

/** ISO alpha-2 for a code or a known name; otherwise the normalised text ('' for nothing). */
export function countryCode(raw: string): string {
  const trimmed = raw.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) return trimmed.toUpperCase();
  const normalised = normalizeName(trimmed).split(' ').filter((w) => w !== 'of' && w !== 'the').join(' ');
  return BY_NAME[normalised] ?? normalised;
}
