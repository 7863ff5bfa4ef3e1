import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// The static first paint from index.html gives way to the app.
document.getElementById('shell')?.remove();

export default mount(App, { target: document.getElementById('app')! });
