import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// React Testing Library unmounts after each test only when globals are on; they are not here.
afterEach(() => {
  cleanup();
});

// jsdom lays nothing out, so it has no scrolling.
Element.prototype.scrollIntoView = function scrollIntoView() {
  // nothing to scroll
};
