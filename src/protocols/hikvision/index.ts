export * from './isapi.js';
export * from './admin-accesses.js';
