export { composeVariables, configHash, filesUnder, stackSettings } from './provenance.ts';
