export * from './catalog';
export * from './consent';
export * from './errors';
export * from './events';
export * from './ids';
export * from './language';
export * from './recommendations';
export * from './validation';
