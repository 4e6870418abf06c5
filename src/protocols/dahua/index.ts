export * from './config-manager.js';
