import * as path from 'node:path';
import { Project, type FileSystemHost } from '../engine';
import { isInside } from './uri';

const PROJECT_CONFIGS = ['tsconfig.json', 'jsconfig.json'];

/**
 * One engine `Project` per nearest tsconfig/jsconfig root inside a workspace folder (the folder itself when it has
 * none), so monorepos with several apps resolve each app's `paths`. Projects live for the whole session and keep
 * their caches between edits; only a change to a project config file rebuilds them.
 */
export class ProjectRegistry {
  private folders: string[] = [];
  private readonly projects = new Map<string, Project>();
  private readonly rootByDir = new Map<string, string>();
  /** Open editor buffers; every project sees them (an app may import a helper that lives in another app's root). */
  private readonly buffers = new Map<string, string>();

  constructor(private readonly host: FileSystemHost) {}

  setFolders(folders: readonly string[]): void {
    // Deepest first, so a nested workspace folder wins over its parent.
    this.folders = [...new Set(folders.map((f) => path.normalize(f)))].sort((a, b) => b.length - a.length);
    this.rootByDir.clear();
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** The workspace folder holding `file`, if any. */
  folderOf(file: string): string | undefined {
    return this.folders.find((folder) => isInside(folder, file));
  }

  rootFor(file: string): string {
    const dir = path.dirname(file);
    const cached = this.rootByDir.get(dir);
    if (cached) return cached;
    const folder = this.folderOf(file);
    let root: string | undefined;
    for (let current = dir; ; current = path.dirname(current)) {
      if (PROJECT_CONFIGS.some((name) => this.host.fileExists(path.join(current, name)))) {
        root = current;
        break;
      }
      if ((folder && current === folder) || path.dirname(current) === current) break;
    }
    root ??= folder ?? dir;
    this.rootByDir.set(dir, root);
    return root;
  }

  projectFor(file: string): Project {
    const root = this.rootFor(file);
    let project = this.projects.get(root);
    if (!project) {
      project = new Project({ root, host: this.host });
      for (const [file, text] of this.buffers) project.setDocument(file, text);
      this.projects.set(root, project);
    }
    return project;
  }

  setDocument(file: string, text: string): void {
    this.buffers.set(file, text);
    this.projectFor(file);
    for (const project of this.projects.values()) project.setDocument(file, text);
  }

  closeDocument(file: string): void {
    this.buffers.delete(file);
    for (const project of this.projects.values()) project.closeDocument(file);
  }

  all(): Project[] {
    return [...this.projects.values()];
  }

  /**
   * A file changed on disk. Every project hears about it, because one app's helper may be another's dependency
   * (a shared package in a monorepo). Returns true when project configs changed and the projects were rebuilt.
   */
  fileChanged(file: string): boolean {
    if (PROJECT_CONFIGS.includes(path.basename(file))) {
      this.projects.clear();
      this.rootByDir.clear();
      return true;
    }
    for (const project of this.projects.values()) {
      project.fileChanged(file);
      // The buffer stays authoritative over the disk for an open file.
      const text = this.buffers.get(file);
      if (text !== undefined) project.setDocument(file, text);
    }
    return false;
  }

  dependentsOf(file: string): string[] {
    const dependents = new Set<string>();
    for (const project of this.projects.values()) {
      for (const dependent of project.dependentsOf(file)) dependents.add(path.normalize(dependent));
    }
    dependents.delete(file);
    return [...dependents];
  }
}
