export { composeVariables, configHash, stackSettings } from './provenance.ts';
