import { BaseSequencer, type TestSpecification } from "vitest/node";

// On a fresh clone vitest knows no durations and starts the largest files first. The longest
// runs (a crash test sending 10k messages, the browser suites on `next start`) are small
// files, and starting them last left one worker busy while the other had nothing to do.
const slowFirst = [/broadcast-crash\.test/, /journey-crash\.test/, /tests\/browser\//, /cli\.test/, /database\.test/, /accounts\.test/];

function rank(spec: TestSpecification): number {
  const index = slowFirst.findIndex((pattern) => pattern.test(spec.moduleId));
  return index === -1 ? slowFirst.length : index;
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank the default order stays.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
