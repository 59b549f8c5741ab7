export * from './annotations';
export * from './names';
export * from './tags';
export * from './manifestToEntities';
