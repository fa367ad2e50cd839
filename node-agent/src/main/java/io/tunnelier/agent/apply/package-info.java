/**
 * Makes the host match a desired state: the nftables table first (NftSync: element-only updates
 * when only pods change, the whole table when its structure does), then ip changes in one batch per
 * tunnel (IpBatches), then the datapaths; ApplyResult says what changed and what failed, per
 * tunnel. Depends on plan, kernel, nft and tunnel.
 */
package io.tunnelier.agent.apply;
