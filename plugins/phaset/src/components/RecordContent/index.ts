export { RecordContent } from './RecordContent';
