// Lists a folder of <class>/<image> files: classes sorted by name, files sorted by name within a class.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nacre {

struct ImageFolderListing {
  std::vector<std::string> class_names;  // sorted sub-folder names
  std::vector<std::string> files;        // by class, then by file name
  std::vector<int64_t> labels;           // index into class_names, one per file
};

// Throws Error for a missing folder, a folder without class sub-folders, or a class without images.
ImageFolderListing list_image_folder(const std::string& dir);
// True for .jpg, .jpeg, .png and .bmp, in any letter case.
bool is_image_file_name(const std::string& file_name);
// Relabels `listing` with the indices of `class_names` (e.g. the training classes); throws Error, listing
// the difference, unless both name the same classes. `where` names the listing in the error.
void adopt_class_names(ImageFolderListing& listing, const std::vector<std::string>& class_names,
                       const std::string& where);

}  // namespace nacre
