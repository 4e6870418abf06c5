export * from './rtsp.js';
