export {
  ownerLabel,
  ownerValue,
  prepareTestcontainers,
  processIsGone,
  removeOrphans,
} from './testcontainers.ts';
