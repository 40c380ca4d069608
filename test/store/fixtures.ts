/** Small advisory databases for the store and server tests, built as the CPANSA data has them. */
import { fromCpansaRecord, type AdvisoryDatabase, type DistributionRecord } from '../../src/advisory/index.js';

type Raw = Record<string, unknown>;

export function advisory(raw: Raw) {
  return fromCpansaRecord({ cves: [], references: [], fixed_versions: [], severity: null, reported: null, description: '', ...raw });
}

function dist(name: string, versions: [string, string][], advisories: Raw[], mainModule?: string): DistributionRecord {
  return {
    name,
    ...(mainModule ? { mainModule } : {}),
    releases: versions.map(([version, date]) => ({ version, date })),
    advisories: advisories.map((a) => advisory({ distribution: name, ...a })),
  };
}

/** Two distributions, three advisories, dated releases, a module map. */
export function fixtureDatabase(): AdvisoryDatabase {
  const fooBar = dist(
    'Foo-Bar',
    [
      ['1.0', '2019-01-10T10:00:00'],
      ['1.1', '2019-06-01T10:00:00'],
      ['1.2', '2020-03-15T10:00:00'],
      ['2.0', '2021-05-01T10:00:00'],
    ],
    [
      {
        id: 'CPANSA-Foo-Bar-2020-01',
        affected_versions: ['<1.2'],
        fixed_versions: ['>=1.2'],
        cves: ['CVE-2020-1111'],
        severity: 'high',
        reported: '2020-03-01',
        description: 'Foo::Bar lets <script>alert(1)</script> through its sanitiser. Upgrade.\n',
        references: ['https://example.org/foo-bar/1', 'javascript:alert(1)'],
      },
      {
        id: 'CPANSA-Foo-Bar-2021-01',
        affected_versions: ['>=1.1,<2.0'],
        fixed_versions: ['>=2.0'],
        severity: 'medium',
        reported: '2021-04-20',
        description: 'Foo::Bar reads files outside its root.\n',
      },
    ],
    'Foo::Bar',
  );
  const baz = dist(
    'Baz',
    [
      ['0.1', '2018-01-01T00:00:00'],
      ['0.2', '2018-02-01T00:00:00'],
      ['0.3', '2018-03-01T00:00:00'],
    ],
    [{ id: 'CPANSA-Baz-2019-01', affected_versions: ['<=0.3'], cves: ['CVE-2019-2222'], reported: '2019-07-07', description: 'Baz trusts its input.\n' }],
    'Baz',
  );
  return {
    meta: { epoch: 1700000000, date: 'Tue Nov 14 22:13:20 2023', generator: 'test' },
    distributions: new Map([
      ['Foo-Bar', fooBar],
      ['Baz', baz],
    ]),
    moduleToDistribution: new Map([
      ['Baz', 'Baz'],
      ['Foo::Bar', 'Foo-Bar'],
      ['Foo::Bar::Util', 'Foo-Bar'],
    ]),
  };
}

/** A copy of a database with changes applied by `edit` (the original is left alone). */
export function edited(db: AdvisoryDatabase, edit: (copy: AdvisoryDatabase) => void): AdvisoryDatabase {
  const copy: AdvisoryDatabase = {
    meta: { ...db.meta },
    distributions: new Map([...db.distributions].map(([n, d]) => [n, { ...d, releases: [...d.releases], advisories: d.advisories.map((a) => ({ ...a })) }])),
    moduleToDistribution: new Map(db.moduleToDistribution),
  };
  edit(copy);
  return copy;
}
