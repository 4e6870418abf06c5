export * from './isapi.js';
