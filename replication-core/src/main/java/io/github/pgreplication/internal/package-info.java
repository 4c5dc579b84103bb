/**
 * Implementation details of pgreplication. No compatibility guarantees: anything here may change or disappear in
 * any release. Use the public packages instead.
 */
package io.github.pgreplication.internal;
