import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/domain/screening/csv';
import { parseOfacSdnCsv } from '../../../src/domain/screening/parse-ofac-sdn';
import { parsePepCsv } from '../../../src/domain/screening/parse-pep-csv';
import { parseUnConsolidatedXml } from '../../../src/domain/screening/parse-un-consolidated';
import { parseXml } from '../../../src/domain/screening/xml-reader';
import { fixtureEntries, readFixture } from './fixtures';

describe('OFAC SDN CSV', () => {
  const { ofac } = fixtureEntries();

  it('reads every row of the fixture, with aliases from ALT.CSV', () => {
    assert.equal(ofac.length, 12);
    assert.deepEqual(
      ofac.map((e) => e.kind).reduce<Record<string, number>>((n, k) => ({ ...n, [k]: (n[k] ?? 0) + 1 }), {}),
      { INDIVIDUAL: 8, ENTITY: 3, VESSEL: 1 },
    );
    assert.equal(ofac.reduce((n, e) => n + e.aliases.length, 0), 9);
  });

  it('reads the sanctioned applicant of the e2e flow: name reordered, DOB, nationality, programmes', () => {
    assert.deepEqual(ofac.find((e) => e.sourceId === '36001'), {
      list: 'OFAC_SDN',
      sourceId: '36001',
      kind: 'INDIVIDUAL',
      name: 'Carlos Eduardo MALVADO FERREIRA',
      aliases: ['O PATRAO', 'Cadu Malvado FERREIRA'],
      datesOfBirth: ['1975-03-14'],
      countries: ['BR'],
      programs: ['SDNTK', 'ILLICIT-DRUGS-EO14059'],
    });
  });

  it('reads alternative DOBs, year-only DOBs, vessel flags, and leaves entity names as written', () => {
    assert.deepEqual(ofac.find((e) => e.sourceId === '36004')!.datesOfBirth, ['1969-08-19', '1970-08-19']);
    assert.deepEqual(ofac.find((e) => e.sourceId === '36003')!.datesOfBirth, ['1981']);
    const vessel = ofac.find((e) => e.sourceId === '36008')!;
    assert.equal(vessel.kind, 'VESSEL');
    assert.deepEqual(vessel.countries, ['PA']);
    assert.equal(ofac.find((e) => e.sourceId === '36007')!.aliases[0], 'BLUE OCEAN SHIPPING S.A.');
  });

  it('skips rows without a numeric ent_num and aliases of unknown entries; parses quoted commas and CRLF', () => {
    const sdn = 'ent_num,SDN_Name\r\n1,"DOE, John","individual","X","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","-0- ","DOB 1960"\r\n';
    const entries = parseOfacSdnCsv(sdn, '9,1,"aka","GHOST","-0- "\n1,2,"aka","DOE, Johnny","-0- "');
    assert.deepEqual(entries.map((e) => [e.name, e.aliases, e.datesOfBirth]), [['John DOE', ['Johnny DOE'], ['1960']]]);
    assert.deepEqual(parseCsv('a,"b ""c"", d"\n\n"e\nf",g'), [['a', 'b "c", d'], ['e\nf', 'g']]);
    assert.throws(() => parseCsv('a,"b'), /unterminated/);
  });
});

describe('UN consolidated XML', () => {
  const { un } = fixtureEntries();

  it('reads individuals and entities with names, aliases, dates and nationalities', () => {
    assert.equal(un.filter((e) => e.kind === 'INDIVIDUAL').length, 5);
    assert.equal(un.filter((e) => e.kind === 'ENTITY').length, 2);
    const first = un.find((e) => e.sourceId === 'QDi.901')!;
    assert.equal(first.name, 'IBRAHIM MUSTAFA AL-TIKRITI');
    assert.deepEqual(first.aliases, ['Ibrahim al-Takriti', 'Abu Mustafa']);
    assert.deepEqual(first.datesOfBirth, ['1970-08-19']);
    assert.deepEqual(first.countries, ['IQ']);
    assert.deepEqual(un.find((e) => e.sourceId === 'TAi.903')!.datesOfBirth, ['1958', '1959', '1960']);
    assert.deepEqual(un.find((e) => e.sourceId === 'TAi.903')!.aliases, ['Abdul Wali Rahimzay']);
    const jose = un.find((e) => e.sourceId === 'LYi.905')!;
    assert.equal(jose.name, 'JOSÉ ANTONIO CÁRDENAS IBÁÑEZ');
    assert.deepEqual(jose.aliases, ['José A. Cárdenas']);
    assert.deepEqual(jose.countries, ['ES', 'VE']);
    assert.deepEqual(un.find((e) => e.sourceId === 'CDe.907')!.countries, ['CD']);
  });

  it('refuses DOCTYPE (no external entities, no entity expansion) and malformed documents', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CONSOLIDATED_LIST>&e;</CONSOLIDATED_LIST>';
    assert.throws(() => parseUnConsolidatedXml(xxe), /DOCTYPE/);
    assert.throws(() => parseXml('<a><b></a>'), /mismatched/);
    assert.throws(() => parseXml('<a>'), /unclosed/);
    assert.throws(() => parseXml('<a></a><b/>'), /more than one root/);
    assert.throws(() => parseXml('<a x=1/>'), /unquoted/);
    assert.throws(() => parseXml('<a>' + '<b>'.repeat(100) + '</b>'.repeat(100) + '</a>'), /deeply/);
    assert.throws(() => parseUnConsolidatedXml('<OTHER/>'), /CONSOLIDATED_LIST/);
  });

  it('decodes entities, character references and CDATA', () => {
    const root = parseXml(`<r a='1 &amp; 2'><t>A &lt;b&gt; &#233;&#xE7; &quot;&apos;</t><c><![CDATA[<raw> & ]]></c><e/></r>`);
    assert.equal(root.attributes.a, '1 & 2');
    assert.equal(root.children[0]!.text, 'A <b> éç "\'');
    assert.equal(root.children[1]!.text, '<raw> &');
    assert.equal(root.children[2]!.name, 'e');
  });
});

describe('PEP CSV', () => {
  it('reads the documented columns by header name', () => {
    const { pep } = fixtureEntries();
    assert.equal(pep.length, 6);
    const bia = pep.find((e) => e.sourceId === 'PEP-0004')!;
    assert.deepEqual(bia.aliases, ['Bia Figueiroa', 'Ana Beatriz de Mello']);
    assert.deepEqual(bia.datesOfBirth, ['1978-07-30']);
    assert.deepEqual(bia.countries, ['BR']);
    assert.equal(bia.list, 'PEP');
    assert.deepEqual(parsePepCsv('full_name,id\nJane Roe,P1\n,P2\n').map((e) => e.name), ['Jane Roe']);
    assert.throws(() => parsePepCsv('name,position\nX,Y'), /id and full_name/);
    assert.ok(readFixture('pep.csv').startsWith('id,full_name,aliases,date_of_birth,country,position'));
  });
});
