import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { whenSignedIn } from './api/identity.js';
import { App } from './app.js';
import { live } from './live/connection.js';
import { interceptLinks } from './router.js';

interceptLinks();
// Token mode: the socket needs the token; opened before sign-in it is refused on every load.
whenSignedIn(() => live.start());
render(<App />, document.getElementById('app')!);
