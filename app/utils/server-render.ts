import { createContext, useContext } from "react";

/**
 * Values of the server's render of this response, given by app/entry.server.tsx: the CSP nonce
 * of its inline scripts and the reference of an error that happened while answering it. In the
 * browser both are absent (the page keeps what the server rendered).
 */
export interface ServerRender {
  nonce?: string;
  errorReference?: string;
}

export const ServerRenderContext = createContext<ServerRender>({});

export const useServerRender = () => useContext(ServerRenderContext);
