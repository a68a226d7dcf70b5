import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The custom server in server/ owns /api and socket.io; Next renders pages only.
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
};

export default nextConfig;
