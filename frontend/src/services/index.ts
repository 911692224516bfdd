export { createServices, ServicesProvider, useServices, type Services } from './services.tsx';
