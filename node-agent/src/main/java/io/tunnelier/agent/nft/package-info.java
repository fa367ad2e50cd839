/**
 * The agent's one nftables table ({@code table inet tunnelier}): the desired table as values
 * ({@link io.tunnelier.agent.nft.NftTable}), the one-transaction script that makes it so, the
 * element-only delta, and {@link io.tunnelier.agent.nft.Nftables} with its {@code nft} command
 * implementation ({@code FakeNftables} in the test tree). Depends only on {@code kernel} (to run
 * commands).
 */
package io.tunnelier.agent.nft;
