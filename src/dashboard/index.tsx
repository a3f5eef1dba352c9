import { render } from 'preact';
import { Dashboard } from './Dashboard';
import { messaging, t } from '../ui/messaging';

render(<Dashboard messaging={messaging} t={t} />, document.getElementById('app')!);
