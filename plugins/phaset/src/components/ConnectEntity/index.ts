export { ConnectEntityCard } from './ConnectEntityCard';
export { ConnectEntityDialog } from './ConnectEntityDialog';
