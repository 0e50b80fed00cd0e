// Vite's additions to the renderer's modules: import.meta.env and asset imports.
/// <reference types="vite/client" />
