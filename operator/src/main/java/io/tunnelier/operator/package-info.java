/**
 * The operator's command line ({@code Main}) and the labels it puts on what it creates. The
 * packages below hold the rest; only this one and {@code runtime} wire them together.
 */
package io.tunnelier.operator;
