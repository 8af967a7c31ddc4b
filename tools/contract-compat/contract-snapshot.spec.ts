import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeContract } from './describe-contract';
import { SNAPSHOT } from './main';

const ROOT = join(__dirname, '..', '..');

describe('libs/contracts/contract.json', () => {
  it('describes the contract the code declares (regenerate: npm run contract:compat -- --write)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(ROOT, SNAPSHOT), 'utf8'));

    expect(describeContract(ROOT)).toEqual(committed);
  });
});
